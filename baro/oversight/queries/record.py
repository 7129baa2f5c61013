"""The responsibility record (hồ sơ trách nhiệm) of a person as a head and as a person: what
oversight holds about them and about the units they head or headed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q

from baro.core.timeutil import today
from baro.org.models import Person, Position, Role, Unit
from baro.org.queries import active_on
from baro.oversight.models import Flag, FlagStatus, HandlingDecision, Inspection, LadderStep, Urging


@dataclass
class HeadTenure:
    unit: Unit
    valid_from: dt.date
    valid_to: dt.date | None
    title: str

    @property
    def is_current(self) -> bool:
        day = today()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)


@dataclass
class ResponsibilityRecord:
    person: Person
    tenures: list[HeadTenure]
    inspections: list[Inspection]
    handlings: list[HandlingDecision]
    flags: list[Flag]
    urging_counts: list[tuple[str, str, int]]
    urgings: list[Urging] = field(default_factory=list)

    @property
    def urging_total(self) -> int:
        return sum(n for _step, _label, n in self.urging_counts)

    @property
    def is_empty(self) -> bool:
        return not (self.inspections or self.handlings or self.flags or self.urging_total)


def _tenures(person: Person) -> list[HeadTenure]:
    return [
        HeadTenure(p.unit, p.valid_from, p.valid_to, p.title)
        for p in Position.objects.filter(person=person, role=Role.HEAD)
        .select_related("unit")
        .order_by("-valid_from", "-pk")
    ]


def _during(tenure: HeadTenure, field_name: str, *, prefix: str = "") -> Q:
    """Rows of the tenure's unit dated (by `field_name`, a date) within the tenure."""
    condition = Q(**{f"{prefix}unit": tenure.unit, f"{field_name}__gte": tenure.valid_from})
    if tenure.valid_to is not None:
        condition &= Q(**{f"{field_name}__lt": tenure.valid_to})
    return condition


def _inspection_concerns(tenure: HeadTenure) -> Q:
    """Inspections of the unit while the person is head, or whose period overlaps the tenure."""
    if tenure.is_current:
        return Q(target_unit=tenure.unit)
    condition = Q(target_unit=tenure.unit, period_to__gte=tenure.valid_from)
    if tenure.valid_to is not None:
        condition &= Q(period_from__lt=tenure.valid_to)
    return condition


def responsibility_record(person: Person) -> ResponsibilityRecord:
    """Everything oversight holds about `person` as a head and as a person: inspections and
    handling decisions about them or a unit they head (or headed during the period inspected),
    open and confirmed flags on those units or on them, and the urgings they received."""
    tenures = _tenures(person)
    inspections_q = Q(target_person=person) | Q(
        pk__in=HandlingDecision.objects.filter(person=person).values("inspection_id")
    )
    handlings_q = Q(person=person)
    flags_q = Q(person=person)
    urgings_q = Q(target_person=person)
    for tenure in tenures:
        concerns = _inspection_concerns(tenure)
        inspections_q |= concerns
        unit_level = Q(person__isnull=True, unit=tenure.unit)
        handlings_q |= unit_level & Q(
            inspection__in=Inspection.objects.filter(concerns).values("pk")
        )
        flags_q |= _during(tenure, "raised_at__date")
        urgings_q |= Q(target_person__isnull=True) & _during(
            tenure, "created_at__date", prefix="target_"
        )
    inspections = list(
        Inspection.objects.filter(inspections_q)
        .select_related("target_unit", "target_person", "inspecting_unit")
        .order_by("-period_to", "-pk")
        .distinct()
    )
    handlings = list(
        HandlingDecision.objects.filter(handlings_q)
        .select_related("inspection", "unit", "person")
        .order_by("-document_date", "-pk")
        .distinct()
    )
    flags = list(
        Flag.objects.filter(flags_q)
        .filter(status__in=[FlagStatus.OPEN, FlagStatus.CONFIRMED])
        .select_related("unit", "person", "task")
        .order_by("-raised_at", "-pk")
        .distinct()
    )
    counts = Counter(
        dict(
            Urging.objects.filter(urgings_q)
            .order_by()
            .values_list("step")
            .annotate(n=Count("pk"))
            .values_list("step", "n")
        )
    )
    urging_counts = [
        (step, str(label), counts.get(step, 0))
        for step, label in LadderStep.choices
        if step != LadderStep.REMIND or counts.get(step, 0)
    ]
    urgings = list(
        Urging.objects.filter(urgings_q)
        .select_related("task", "target_unit", "letter")
        .order_by("-created_at", "-pk")[:20]
    )
    return ResponsibilityRecord(
        person=person,
        tenures=tenures,
        inspections=inspections,
        handlings=handlings,
        flags=flags,
        urging_counts=urging_counts,
        urgings=urgings,
    )


def heads_a_unit(person: Person) -> bool:
    """Whether `person` is the head of a unit today (the index then offers their record)."""
    return Position.objects.filter(active_on(today()), person=person, role=Role.HEAD).exists()
