"""Reads of the organisation registry. No writes here; each is one (or a few) indexed queries.

Subtrees use the materialised path as a range, `p <= path < p[:-1] + "/"` ("/" is the
character after "."), on both engines: SQLite compares with BINARY, and PostgreSQL's path
column has the "C" collation (migration org 0003), so one btree index serves the range and
the tree order, and the (path, valid_from, valid_to) index counts a subtree on its own.
Dates default to today (Viet Nam); `include_closed=True` ignores validity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Q, QuerySet

from baro.core.timeutil import now, today
from baro.ledger.models import LedgerEvent
from baro.org import authority
from baro.org.authority import Power
from baro.org.models import ApiToken, Delegation, Person, Position, Role, Unit, UnitSuccession

M = TypeVar("M", Unit, Position)

__all__ = [
    "active_on",
    "ancestors",
    "api_tokens_of",
    "children",
    "current_successors",
    "delegations_for",
    "lowest_common_superior",
    "person_history",
    "person_positions",
    "person_search",
    "predecessor_ids",
    "roots",
    "subtree",
    "subtree_q",
    "unit_head",
    "unit_history",
    "unit_position_history",
    "unit_positions",
    "unit_search",
    "units_visible_to",
]


def subtree_q(path: str, *, prefix: str = "") -> Q:
    """A filter for every unit whose path starts with `path` (`prefix` for related lookups)."""
    return Q(**{f"{prefix}path__gte": path, f"{prefix}path__lt": path[:-1] + "/"})


def active_on(day: dt.date, *, prefix: str = "") -> Q:
    """Rows valid on `day`: valid_from <= day < valid_to (an open end counts as valid)."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def _dated(qs: QuerySet[M], on: dt.date | None, include_closed: bool) -> QuerySet[M]:
    return qs if include_closed else qs.filter(active_on(on or today()))


# --------------------------------------------------------------------------------------------
# the tree


def subtree(
    unit: Unit,
    *,
    include_self: bool = True,
    on: dt.date | None = None,
    include_closed: bool = False,
) -> QuerySet[Unit]:
    """`unit` and every unit below it (ordered like the tree), valid on `on` (default today)."""
    qs = Unit.objects.filter(subtree_q(unit.path))
    if not include_self:
        qs = qs.exclude(pk=unit.pk)
    return _dated(qs, on, include_closed)


def ancestors(unit: Unit, *, include_self: bool = False) -> list[Unit]:
    """The units above `unit`, root first (whatever their validity): one query by primary key."""
    ids = unit.ancestor_ids
    if not include_self:
        ids = ids[:-1]
    if not ids:
        return []
    return list(Unit.objects.filter(pk__in=ids).order_by("depth"))


def children(
    unit: Unit, on: dt.date | None = None, *, include_closed: bool = False
) -> QuerySet[Unit]:
    return _dated(Unit.objects.filter(parent=unit), on, include_closed).order_by("name")


def roots(*, on: dt.date | None = None, include_closed: bool = False) -> QuerySet[Unit]:
    return _dated(Unit.objects.filter(parent__isnull=True), on, include_closed).order_by("name")


def lowest_common_superior(a: Unit, b: Unit) -> Unit | None:
    """The deepest unit whose subtree holds both `a` and `b` (one of them if it contains the
    other; `a` itself if a == b), or None when they are in different trees."""
    common: int | None = None
    for left, right in zip(a.ancestor_ids, b.ancestor_ids, strict=False):
        if left != right:
            break
        common = left
    if common is None:
        return None
    if common == a.pk:
        return a
    if common == b.pk:
        return b
    return Unit.objects.get(pk=common)


def current_successors(unit: Unit, *, on: dt.date | None = None) -> list[Unit]:
    """Where `unit`'s responsibilities went: its successors, following successions of closed
    successors onward, until active units (on `on`, default today). [] if none recorded."""
    day = on or today()
    found: dict[int, Unit] = {}
    seen = {unit.pk}
    frontier = [unit.pk]
    while frontier:
        successions = UnitSuccession.objects.filter(predecessor_id__in=frontier).select_related(
            "successor"
        )
        frontier = []
        for succession in successions:
            successor = succession.successor
            if successor.pk in seen:
                continue
            seen.add(successor.pk)
            if successor.is_active_on(day):
                found[successor.pk] = successor
            else:
                frontier.append(successor.pk)
    return sorted(found.values(), key=lambda u: u.path)


def predecessor_ids(unit_id: int) -> set[int]:
    """The units whose responsibilities went to unit `unit_id`: its recorded predecessors, and
    theirs, and so on (the reverse of current_successors). Empty when none."""
    found: set[int] = set()
    frontier = {unit_id}
    while frontier:
        frontier = (
            set(
                UnitSuccession.objects.filter(successor_id__in=frontier).values_list(
                    "predecessor_id", flat=True
                )
            )
            - found
            - {unit_id}
        )
        found |= frontier
    return found


def unit_search(
    text: str = "",
    *,
    kind: str | None = None,
    include_closed: bool = False,
    within: Unit | QuerySet[Unit] | None = None,
) -> QuerySet[Unit]:
    """Units whose name, short name or code contains `text`, optionally of one kind, within a
    unit's subtree or within a queryset of units (such as units_visible_to(person))."""
    qs = Unit.objects.all()
    text = text.strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__icontains=text)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if isinstance(within, Unit):
        qs = qs.filter(subtree_q(within.path))
    elif within is not None:
        qs = qs.filter(pk__in=within.values("pk"))
    return _dated(qs, None, include_closed).order_by("path")


# --------------------------------------------------------------------------------------------
# positions and people


def unit_head(unit: Unit, on: dt.date | None = None) -> Position | None:
    """The head's position in `unit` on `on` (default today), or None."""
    return (
        Position.objects.filter(active_on(on or today()), unit=unit, role=Role.HEAD)
        .select_related("person")
        .order_by("-valid_from")
        .first()
    )


def unit_positions(unit: Unit, on: dt.date | None = None) -> QuerySet[Position]:
    """The people in `unit` on `on` (default today), head first."""
    return (
        Position.objects.filter(active_on(on or today()), unit=unit)
        .select_related("person")
        .order_by("role", "person__full_name")
    )


def unit_position_history(unit: Unit) -> QuerySet[Position]:
    """Every position ever held in `unit`, newest first."""
    return (
        Position.objects.filter(unit=unit).select_related("person").order_by("-valid_from", "-pk")
    )


def person_positions(person: Person, *, current_only: bool = False) -> QuerySet[Position]:
    """A person's positions, current ones first, then newest first."""
    qs = Position.objects.filter(person=person).select_related("unit")
    if current_only:
        qs = qs.filter(active_on(today()))
    return qs.order_by("valid_to", "-valid_from")


def person_search(
    text: str = "",
    *,
    within: Unit | QuerySet[Unit] | None = None,
    include_inactive: bool = False,
) -> QuerySet[Person]:
    """People (never Baro's system actor) matching `text` by name, code or e-mail; with
    `within` (a unit's subtree, or a queryset of units), only those holding a current position
    there."""
    qs = Person.objects.filter(is_system=False)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    text = text.strip()
    if text:
        qs = qs.filter(
            Q(full_name__icontains=text) | Q(code__icontains=text) | Q(email__icontains=text)
        )
    if within is not None:
        holding = Position.objects.filter(active_on(today()))
        if isinstance(within, Unit):
            holding = holding.filter(subtree_q(within.path, prefix="unit__"))
        else:
            holding = holding.filter(unit__in=within.values("pk"))
        qs = qs.filter(pk__in=holding.values("person_id"))
    return qs.order_by("full_name", "pk")


def delegations_for(
    person: Person, *, current_only: bool = False, at: dt.datetime | None = None
) -> QuerySet[Delegation]:
    """Delegations `person` gave or received, newest first (current_only: valid now)."""
    qs = Delegation.objects.filter(Q(delegator=person) | Q(delegate=person)).select_related(
        "delegator", "delegate", "unit"
    )
    if current_only:
        at = at or now()
        qs = qs.filter(valid_from__lte=at, valid_to__gt=at, revoked_at__isnull=True)
    return qs.order_by("-valid_from", "-pk")


# --------------------------------------------------------------------------------------------
# history


def unit_history(unit: Unit) -> QuerySet[LedgerEvent]:
    """Ledger events about `unit`, its positions, its delegations and the creation of the
    people registered into it, newest first."""
    position_ids = [
        str(pk) for pk in Position.objects.filter(unit=unit).values_list("pk", flat=True)
    ]
    delegation_ids = [
        str(pk) for pk in Delegation.objects.filter(unit=unit).values_list("pk", flat=True)
    ]
    person_ids = [
        str(pk)
        for pk in Position.objects.filter(unit=unit).values_list("person_id", flat=True).distinct()
    ]
    condition = Q(object_type="org.unit", object_id=str(unit.pk))
    if position_ids:
        condition |= Q(object_type="org.position", object_id__in=position_ids)
    if delegation_ids:
        condition |= Q(object_type="org.delegation", object_id__in=delegation_ids)
    if person_ids:
        condition |= Q(
            object_type="org.person", object_id__in=person_ids, action="org.person.created"
        )
    return LedgerEvent.objects.filter(condition).order_by("-occurred_at", "-seq")


def person_history(person: Person) -> QuerySet[LedgerEvent]:
    """Ledger events about `person`: their own record, their positions (appointed, ended, made
    head) and their API tokens, newest first."""
    position_ids = [
        str(pk) for pk in Position.objects.filter(person=person).values_list("pk", flat=True)
    ]
    token_ids = [str(pk) for pk in person.api_tokens.values_list("pk", flat=True)]
    condition = Q(object_type="org.person", object_id=str(person.pk))
    if position_ids:
        condition |= Q(object_type="org.position", object_id__in=position_ids)
    if token_ids:
        condition |= Q(object_type="org.api_token", object_id__in=token_ids)
    return LedgerEvent.objects.filter(condition).order_by("-occurred_at", "-seq")


# --------------------------------------------------------------------------------------------
# visibility


def _outermost(units: Iterable[Unit]) -> list[Unit]:
    kept: list[Unit] = []
    for unit in sorted(units, key=lambda u: u.path):
        if not any(unit.path.startswith(outer.path) for outer in kept):
            kept.append(unit)
    return kept


def units_visible_to(
    person: Person, *, power: str = Power.REGISTRY_VIEW, include_closed: bool = True
) -> QuerySet[Unit]:
    """Every unit `person` may see (registry.view over it, by position or delegation), closed
    units included unless include_closed=False (their history stays readable).

    A person without the power anywhere sees nothing; the system actor sees everything.
    """
    qs = Unit.objects.all()
    if not person.is_system:
        if not person.is_active:
            return Unit.objects.none()
        scopes = _outermost(authority.scope_units(person, power))
        if not scopes:
            return Unit.objects.none()
        condition = Q()
        for scope in scopes:
            condition |= subtree_q(scope.path)
        qs = qs.filter(condition)
    return _dated(qs, None, include_closed).order_by("path")


def api_tokens_of(person: Person) -> QuerySet[ApiToken]:
    """A person's API tokens, newest first (only their hashes are stored)."""
    return person.api_tokens.order_by("-created_at", "-pk")
