"""What a unit's merger carries over to its successor, contributed by the areas above org.

The registry knows nothing of tasks or plans, yet a merger that leaves them with the closed
unit strands them: nobody holds power over a closed unit, so its open tasks could be neither
accepted nor decided. So org offers this slot, as baro.core.panels does for pages: an area that
keeps work led by units registers a carry-over handler in its AppConfig.ready(), and
unit_merge (and unit_close with a successor) calls every handler inside its own transaction,
so the merger stays one command with one ledger event that lists everything carried.

A handler is `handler(units, into, on) -> Carried`: move what is open at `units` to `into`
(written at once, in the command's transaction) and describe it; or raise MergeBlocked naming
what is open and cannot be carried. The command calls every handler, gathers every blocker and
then refuses the whole merger (`org.merge_open_items`, nothing written) when there is any, so
the administrator sees all that must be settled first, not one thing at a time.

Each area registers, with its handler, `open_items(units) -> list[OpenItem]`: what is open at
`units` (read only). unit_close WITHOUT a successor asks every area and refuses when anything
is open (`org.unit_has_open_work`, listing it all, nothing written): nobody holds power over a
closed unit, so what it left open could never be accepted, decided or answered. The
administrator names a successor (which carries it) or settles it first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext, ngettext

from baro.core.errors import DomainError
from baro.org.models import Unit


@dataclass
class Carried:
    """What one area carried to the successor.

    refs     every object moved, as "object_type:id" ("work.task:12"): the event lists them so
             each object's own history finds the merger
    summary  the area's account of the change (ids before/after), kept in the event's payload
    """

    refs: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


class MergeBlocked(Exception):
    """Raised by a handler: these open things (one readable line each) cannot be carried."""

    def __init__(self, items: Sequence[str]) -> None:
        super().__init__("; ".join(items))
        self.items = list(items)


@dataclass(frozen=True)
class OpenItem:
    """One open thing at a unit about to close: its object ("work.task:12") and a readable
    line naming it."""

    ref: str
    text: str


MergeHandler = Callable[[Sequence[Unit], Unit, dt.date], Carried]
OpenItems = Callable[[Sequence[Unit]], list[OpenItem]]


@dataclass(frozen=True)
class _Area:
    carry: MergeHandler
    open_items: OpenItems


_AREAS: dict[str, _Area] = {}

# How many blockers the refusal names before "và N việc khác".
SHOWN_BLOCKERS = 10


def register_merge_handler(area: str, handler: MergeHandler, *, open_items: OpenItems) -> None:
    """Have `handler` carry `area`'s open work on every merger, and `open_items` say what of it
    is open when a unit closes without a successor (once per area). Both are required: an area
    that carries work must also say when a closing would strand it."""
    _AREAS[area] = _Area(carry=handler, open_items=open_items)


def _listing(lines: Sequence[str]) -> str:
    """The first SHOWN_BLOCKERS lines, then how many more."""
    shown = list(lines[:SHOWN_BLOCKERS])
    rest = len(lines) - len(shown)
    listing = "; ".join(shown)
    if rest:
        listing += ngettext("; và %(rest)d việc khác", "; và %(rest)d việc khác", rest) % {
            "rest": rest
        }
    return listing


def carry_over(units: Sequence[Unit], into: Unit, on: dt.date) -> dict[str, Carried]:
    """Run every area's handler; refuse with every blocker if any area could not carry.

    Runs inside the merging command's transaction: on a refusal the command rolls back what
    the other handlers already moved, so nothing is left half carried.
    """
    carried: dict[str, Carried] = {}
    blockers: list[str] = []
    for name, area in _AREAS.items():
        try:
            carried[name] = area.carry(units, into, on)
        except MergeBlocked as blocked:
            blockers.extend(blocked.items)
    if blockers:
        raise DomainError(
            "org.merge_open_items",
            gettext(
                "Chưa thể chuyển sang %(unit)s những việc đang mở sau: %(listing)s. "
                "Hãy giải quyết các việc này trước khi hợp nhất."
            )
            % {"unit": into.name, "listing": _listing(blockers)},
            field="units",
            details={"open": blockers},
        )
    return carried


def open_work(units: Sequence[Unit]) -> list[OpenItem]:
    """Every area's open items at `units`, area by area."""
    return [item for area in _AREAS.values() for item in area.open_items(units)]


def refuse_open_work(unit: Unit) -> None:
    """Refuse closing `unit` without a successor while anything is open there
    (`org.unit_has_open_work`, every item in details; see the module docstring)."""
    items = open_work([unit])
    if items:
        raise DomainError(
            "org.unit_has_open_work",
            gettext(
                "Đơn vị %(unit)s còn việc đang mở: %(listing)s. Không ai còn thẩm quyền với "
                "đơn vị đã giải thể, nên hãy chỉ định đơn vị kế thừa để nhận các việc này, "
                "hoặc giải quyết xong trước khi giải thể."
            )
            % {"unit": unit.name, "listing": _listing([item.text for item in items])},
            field="successor",
            details={
                "open": [item.text for item in items],
                "refs": [item.ref for item in items],
            },
        )


# The registry's actions whose events carry work over (their payload has "carried" and "refs").
CARRYING_ACTIONS = ("org.unit.merged", "org.unit.closed")


def carried_payload(carried: dict[str, Carried], into: Unit) -> dict[str, Any]:
    """The part of the merger's event that records the carry-over (`into` named as it was)."""
    return {
        "successor": {"id": into.pk, "name": into.name},
        "carried": {area: part.summary for area, part in carried.items()},
        "refs": sorted({ref for part in carried.values() for ref in part.refs}),
    }


def mentions(ref: str) -> Q:
    """Events of a carrying action whose `refs` name `ref` ("work.task:12"): the canonical JSON
    body holds each ref as a quoted string, so the quotes keep "work.task:1" from matching
    "work.task:12"; the action's index narrows the search to the few mergers."""
    return Q(action__in=CARRYING_ACTIONS, body__contains=f'"{ref}"')
