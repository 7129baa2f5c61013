"""Ledger events as people read them: the action's label and the names of who acted.

The labels are each area's, registered with the ledger (baro.ledger.labels); the names are the
registry's, so this lives with the registry and every history page above it uses it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from baro.core.ids import id_from_text
from baro.ledger.labels import action_label
from baro.ledger.models import LedgerEvent
from baro.org.models import Person
from baro.org.succession import CARRYING_ACTIONS


def _person_id(ref: str) -> int | None:
    kind, _sep, value = ref.partition(":")
    return id_from_text(value) if kind == "person" else None


def _carried_detail(event: LedgerEvent) -> str:
    if event.action not in CARRYING_ACTIONS:
        return ""
    successor = event.payload.get("successor")
    if not successor or not event.payload.get("refs"):
        return ""
    return str(
        _("Nhiệm vụ, việc đang mở chuyển sang đơn vị kế thừa %(unit)s")
        % {"unit": successor["name"]}
    )


def readable(events: Iterable[LedgerEvent]) -> list[LedgerEvent]:
    """Give each event `action_label`, `actor_name`, `on_behalf_name` (one query in all) and
    `detail`: for a merger that carried open work, where it went."""
    rows = list(events)
    ids = {
        pk
        for event in rows
        for pk in (_person_id(event.actor), _person_id(event.on_behalf_of))
        if pk is not None
    }
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    for event in rows:
        event.action_label = action_label(event.action)  # type: ignore[attr-defined]
        actor_id = _person_id(event.actor)
        event.actor_name = (  # type: ignore[attr-defined]
            _name(names, actor_id) if actor_id else _("Hệ thống Baro")
        )
        behalf_id = _person_id(event.on_behalf_of)
        event.on_behalf_name = _name(names, behalf_id) if behalf_id else ""  # type: ignore[attr-defined]
        event.detail = _carried_detail(event)  # type: ignore[attr-defined]
    return rows


def _name(names: dict[int, str], pk: int) -> str:
    """A person's name; never the ledger's reference ("person:12") on a page people read."""
    if pk in names:
        return names[pk]
    return _("Cán bộ số %(id)s") % {"id": pk}
