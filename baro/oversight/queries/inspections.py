"""Reads of inspections: the list, the units one may plan an inspection of, one inspection's
evidence and handling decisions, and whom an inspection may name."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from baro.core.ids import id_from_text
from baro.core.timeutil import today
from baro.org.authority import Power
from baro.org.models import Person, Position, Role, Unit
from baro.org.queries import subtree_q
from baro.oversight.models import Flag, FlagStatus, HandlingDecision, Inspection, InspectionEvidence
from baro.oversight.permissions import INSPECTION_READ_POWERS, inspections_visible, scope_roots
from baro.oversight.queries.common import CHOICE_LIMIT, page_units
from baro.work.models import Task


@dataclass(frozen=True)
class InspectionFilters:
    status: str = ""
    unit: Unit | None = None
    year: int | None = None


def inspection_target_units(actor: Person) -> list[Unit]:
    """Units `actor` may open an inspection of (inspection.conduct), tree order, capped."""
    return page_units(scope_roots(actor, Power.INSPECTION_CONDUCT))


def inspection_filter_units(actor: Person) -> list[Unit]:
    return page_units(scope_roots(actor, *INSPECTION_READ_POWERS))


def inspection_list(
    *, actor: Person, filters: InspectionFilters | None = None
) -> QuerySet[Inspection]:
    filters = filters or InspectionFilters()
    qs = inspections_visible(actor)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit is not None:
        qs = qs.filter(subtree_q(filters.unit.path, prefix="target_unit__"))
    if filters.year:
        qs = qs.filter(period_from__year__lte=filters.year, period_to__year__gte=filters.year)
    return qs.order_by("-created_at", "-pk")


def inspection_years(actor: Person) -> list[int]:
    years: set[int] = set()
    for start, end in inspections_visible(actor).values_list("period_from", "period_to"):
        years.update(range(start.year, end.year + 1))
    return sorted(years, reverse=True)


def inspection_evidence(inspection: Inspection) -> list[InspectionEvidence]:
    return list(
        inspection.evidence.select_related("flag__unit", "task__lead_unit", "added_by").order_by(
            "pk"
        )
    )


def inspection_handlings(inspection: Inspection) -> list[HandlingDecision]:
    return list(
        inspection.handling_decisions.select_related("unit", "person", "decided_by").order_by(
            "-document_date", "-pk"
        )
    )


def evidence_flag_candidates(inspection: Inspection) -> list[Flag]:
    """Flags on the inspected unit's subtree not yet cited (open or confirmed first)."""
    cited = InspectionEvidence.objects.filter(inspection=inspection, flag__isnull=False).values(
        "flag_id"
    )
    return list(
        Flag.objects.filter(subtree_q(inspection.target_unit.path, prefix="unit__"))
        .exclude(pk__in=cited)
        .exclude(status=FlagStatus.DISMISSED)
        .select_related("unit", "person")
        .order_by("-raised_at", "-pk")[:CHOICE_LIMIT]
    )


def inspection_people(unit: Unit) -> list[Person]:
    """People who hold or held a position in `unit` or below it (whom an inspection of the unit
    or its handling may name), the current head first, then by name; capped."""
    day = today()
    positions = (
        Position.objects.filter(subtree_q(unit.path, prefix="unit__"))
        .filter(person__is_system=False)
        .select_related("person", "unit")
        .order_by("unit__path", "role", "person__full_name")
    )
    seen: dict[int, Person] = {}
    heads: list[Person] = []
    for position in positions[: CHOICE_LIMIT * 2]:
        if position.person_id in seen:
            continue
        seen[position.person_id] = position.person
        if (
            position.unit_id == unit.pk
            and position.role == Role.HEAD
            and position.is_active_on(day)
        ):
            heads.append(position.person)
    rest = sorted((p for p in seen.values() if p not in heads), key=lambda p: (p.full_name, p.pk))
    return (heads + rest)[:CHOICE_LIMIT]


def inspection_units(inspection: Inspection) -> list[Unit]:
    """The inspected unit and the units below it (whom a handling decision may concern), tree
    order, capped."""
    path = inspection.target_unit.path
    return list(Unit.objects.filter(subtree_q(path)).order_by("path")[:CHOICE_LIMIT])


def inspection_task_search(inspection: Inspection, text: str) -> list[Task]:
    """Tasks the inspected unit led or assigned whose title (or number, "#12") matches `text`:
    what the inspection may cite."""
    path = inspection.target_unit.path
    qs = Task.objects.filter(
        subtree_q(path, prefix="lead_unit__") | subtree_q(path, prefix="assigning_unit__")
    ).select_related("lead_unit")
    task_id = id_from_text(text.lstrip("#"))
    qs = qs.filter(pk=task_id) if task_id is not None else qs.filter(title__icontains=text)
    return list(qs.order_by("deadline", "pk")[:20])
