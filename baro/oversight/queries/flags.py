"""Reads of flags: the list an inspector or a head reads, with its filters and counts, and one
flag's evidence and the inspections it may be cited in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from baro.org.models import Person, Unit
from baro.org.queries import subtree_q
from baro.oversight.models import (
    Flag,
    FlagEvidence,
    FlagStatus,
    Inspection,
    InspectionEvidence,
    InspectionStatus,
)
from baro.oversight.permissions import FLAG_READ_POWERS, flags_visible, may_conduct, scope_roots
from baro.oversight.queries.common import page_units


@dataclass(frozen=True)
class FlagFilters:
    kind: str = ""
    status: str = ""
    unit: Unit | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""
    # The flags about one task: raised on it, or citing it as evidence.
    task_id: int | None = None


def flag_filter_units(actor: Person) -> list[Unit]:
    return page_units(scope_roots(actor, *FLAG_READ_POWERS))


def _flags_filtered(actor: Person, filters: FlagFilters, *, status: bool) -> QuerySet[Flag]:
    qs = flags_visible(actor)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if status and filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit is not None:
        qs = qs.filter(subtree_q(filters.unit.path, prefix="unit__"))
    if filters.date_from is not None:
        qs = qs.filter(raised_at__date__gte=filters.date_from)
    if filters.date_to is not None:
        qs = qs.filter(raised_at__date__lte=filters.date_to)
    if filters.task_id is not None:
        cited = FlagEvidence.objects.filter(task_id=filters.task_id).values("flag_id")
        qs = qs.filter(Q(task_id=filters.task_id) | Q(pk__in=cited))
    text = filters.text.strip()
    if text:
        qs = qs.filter(
            Q(summary__icontains=text)
            | Q(unit__name__icontains=text)
            | Q(person__full_name__icontains=text)
            | Q(task__title__icontains=text)
        )
    return qs


def flag_list(*, actor: Person, filters: FlagFilters | None = None) -> QuerySet[Flag]:
    """The flags `actor` may read that match `filters`, newest first."""
    return _flags_filtered(actor, filters or FlagFilters(), status=True).order_by(
        "-raised_at", "-pk"
    )


def flag_status_counts(*, actor: Person, filters: FlagFilters | None = None) -> dict[str, int]:
    """How many flags of each status match the other filters (the status filter left out)."""
    rows = (
        _flags_filtered(actor, filters or FlagFilters(), status=False)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(FlagStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def flag_evidence(flag: Flag) -> list[FlagEvidence]:
    return list(flag.evidence.select_related("task", "event").order_by("pk"))


def inspections_open_for_flag(actor: Person, flag: Flag) -> list[Inspection]:
    """Planned inspections that may cite `flag` (their target holds the flagged unit), which
    `actor` conducts, and that do not cite it yet."""
    cited = InspectionEvidence.objects.filter(flag=flag).values("inspection_id")
    candidates = (
        Inspection.objects.filter(status=InspectionStatus.PLANNED)
        .filter(target_unit_id__in=flag.unit.ancestor_ids)
        .exclude(pk__in=cited)
        .select_related("target_unit")
        .order_by("-created_at", "-pk")
    )
    return [i for i in candidates if may_conduct(actor, i.target_unit)]
