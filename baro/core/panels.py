"""Parts of one area's page that areas above it contribute, so the lower area never imports
them: the directive page shows the cascade's and the ladder's buttons, the task page the
oversight panel, while work knows neither cascade nor oversight.

An area names a slot on its page ("work.directive.actions") and renders whatever was
contributed there; an area above registers a contribution for that slot in its
AppConfig.ready(). A contribution returns HTML (usually a rendered template) or "" when it
has nothing for this person and object; contributions appear in the order the areas stand in
INSTALLED_APPS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Contribution = Callable[[HttpRequest, Any, Any], str]

_SLOTS: dict[str, list[Contribution]] = {}


def contribute(slot: str, contribution: Contribution) -> None:
    """Add `contribution(request, person, obj) -> html` to the page slot `slot` (once)."""
    registered = _SLOTS.setdefault(slot, [])
    if contribution not in registered:
        registered.append(contribution)


def contributions(slot: str, request: HttpRequest, person: Any, obj: Any) -> list[SafeString]:
    """What the areas above contribute to `slot` for `person` and `obj`, in order, the empty
    ones left out. The HTML comes from the contributors' own templates (autoescaped there)."""
    parts = (contribution(request, person, obj) for contribution in _SLOTS.get(slot, []))
    return [mark_safe(html) for html in parts if html]  # noqa: S308 (rendered templates)
