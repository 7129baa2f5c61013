"""Who is notified and who answers: the heads of units and the inspectors over a unit, looked
up in bulk (the worker asks for thousands of units in one pass)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from baro.org.models import Person, Position, Role, Unit
from baro.org.queries import active_on


def heads_of(unit_ids: Iterable[int], day: dt.date) -> dict[int, Person]:
    """The current head of each unit that has one, by unit id (the latest appointed wins)."""
    ids = set(unit_ids)
    heads: dict[int, Person] = {}
    if not ids:
        return heads
    rows = (
        Position.objects.filter(active_on(day), unit_id__in=ids, role=Role.HEAD)
        .select_related("person")
        .order_by("unit_id", "valid_from")
    )
    for position in rows:
        heads[position.unit_id] = position.person
    return heads


def inspectors_over(unit: Unit, day: dt.date) -> list[Person]:
    """Everyone holding an inspector's position in `unit` or a unit above it."""
    return [
        position.person
        for position in Position.objects.filter(
            active_on(day), unit_id__in=unit.ancestor_ids, role=Role.INSPECTOR
        )
        .select_related("person")
        .order_by("person__full_name")
    ]


def persons_by_id(ids: Iterable[int]) -> dict[int, Person]:
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    return {person.pk: person for person in Person.objects.filter(pk__in=wanted)}


def ever_within(person: Person, unit: Unit) -> bool:
    """Whether `person` holds or held a position in `unit` or below it: whom an inspection of
    the unit, or its handling, may name."""
    return Position.objects.filter(person=person, unit__path__startswith=unit.path).exists()
