"""Who the members of a receiving unit are, on a given day.

Members of a unit are the people holding a position in that unit on the day asked (any role;
a person with two roles counts once); people of its sub-units are members of those sub-units,
which receive the directive by forwarding. The cascade's reads (baro.cascade.queries), its
permission questions (baro.cascade.permissions) and its commands all count members this way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from baro.org.models import Person, Position, Unit
from baro.org.queries import active_on

__all__ = ["is_member", "members_by_unit", "members_q", "unit_members"]


def members_q(day: dt.date) -> Q:
    """The positions held on `day` by an active person (Baro's system actor is no member)."""
    return active_on(day) & Q(person__is_active=True, person__is_system=False)


def members_by_unit(unit_ids: Iterable[int], day: dt.date) -> dict[int, list[Person]]:
    """Each unit's members on `day`, by name (one query for all the units)."""
    members: dict[int, dict[int, Person]] = defaultdict(dict)
    positions = (
        Position.objects.filter(members_q(day), unit_id__in=list(unit_ids))
        .select_related("person")
        .order_by("person__full_name", "person_id")
    )
    for position in positions:
        members[position.unit_id][position.person_id] = position.person
    return {unit_id: list(people.values()) for unit_id, people in members.items()}


def unit_members(unit: Unit, day: dt.date) -> list[Person]:
    return members_by_unit([unit.pk], day).get(unit.pk, [])


def is_member(person: Person, unit: Unit, day: dt.date) -> bool:
    return Position.objects.filter(members_q(day), unit=unit, person=person).exists()
