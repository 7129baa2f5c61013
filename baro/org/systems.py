"""Which part of the political system (UnitSystem) each unit belongs to, read from the kinds
of the unit and its superiors."""

from __future__ import annotations

from collections.abc import Iterable

from baro.org.models import KIND_SYSTEM, Unit, UnitSystem


def systems_of(units: Iterable[Unit]) -> dict[int, str]:
    """Each unit's UnitSystem by id: its kind's, else its nearest superior's (government when
    no superior has one). One query at most, for the superiors of divisions not given."""
    rows = list(units)
    kinds = {unit.pk: unit.kind for unit in rows}
    wanted = {
        pk
        for unit in rows
        if unit.kind not in KIND_SYSTEM
        for pk in unit.ancestor_ids
        if pk not in kinds
    }
    if wanted:
        kinds.update(Unit.objects.filter(pk__in=wanted).values_list("pk", "kind"))
    found: dict[int, str] = {}
    for unit in rows:
        system = KIND_SYSTEM.get(unit.kind)
        if system is None:
            system = next(
                (
                    KIND_SYSTEM[kinds[pk]]
                    for pk in reversed(unit.ancestor_ids)
                    if kinds.get(pk) in KIND_SYSTEM
                ),
                UnitSystem.GOVERNMENT,
            )
        found[unit.pk] = system
    return found
