"""Words for ledger actions, for every page that shows a history.

The ledger knows no domain: each area registers the labels of its own actions when Django
starts (its AppConfig.ready()), so a history page reads them here without importing the area.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise

_LABELS: dict[str, str | Promise] = {}


def register_labels(labels: Mapping[str, str | Promise]) -> None:
    """Add an area's action labels; an action is registered by one area only."""
    taken = sorted(set(_LABELS) & set(labels))
    if taken:
        raise ValueError(f"ledger actions already labelled: {', '.join(taken)}")
    _LABELS.update(labels)


def action_label(action: str) -> str | Promise:
    """The label of `action`, or "" for an action no area registered."""
    return _LABELS.get(action, "")


def registered_actions() -> frozenset[str]:
    return frozenset(_LABELS)
