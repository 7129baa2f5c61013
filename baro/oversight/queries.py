"""Reads of oversight, always scoped to the acting person (the pages and the API ask here).

Who sees what:
- flags: inspectors (inspection.conduct) over the flagged unit, and heads over it (dispute.decide
  over the unit: its own head, the heads above it and whoever they delegated that power to);
- inspections: inspectors and heads over the inspected unit, the inspected person, and anyone a
  handling decision of the inspection names;
- urging letters: the issuing unit's leaders, secretariat and inspectors (registry.view,
  task.assign or inspection.conduct over it), and the people of the units the letter urges;
- a person's responsibility record (hồ sơ trách nhiệm): the person, the inspectors over a unit
  where they work, and the heads above them (dispute.decide over that unit);
- the task's oversight panel: whoever sees the task (baro.work.queries.detail); its flags and
  inspections only as far as the rules above let them.

Anything else is "not found" (NotFoundError), never "forbidden": a flag is not confirmed to exist
to someone who may not read it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from baro.core.errors import AuthorityError, NotFoundError
from baro.core.timeutil import format_date, now, today
from baro.org import authority
from baro.org.authority import ROLE_POWERS, Decision, Power
from baro.org.models import Delegation, Person, Position, Role, Unit, UnitKind
from baro.org.queries import active_on, subtree_q
from baro.oversight.ladder import DEFAULT_LADDER, Ladder, step_day
from baro.oversight.letters import LetterContent, LetterTask
from baro.oversight.models import (
    AUTOMATIC_STEPS,
    Flag,
    FlagEvidence,
    FlagStatus,
    HandlingDecision,
    Inspection,
    InspectionEvidence,
    InspectionStatus,
    LadderConfig,
    LadderStep,
    Urging,
    UrgingLetter,
)
from baro.oversight.services import LADDER_STATUSES, require_flag_decider
from baro.work.models import Directive, DirectiveKind, Task, TaskStatus
from baro.work.permissions import may_act_for_directives

__all__ = [
    "FlagFilters",
    "InspectionFilters",
    "LetterFilters",
    "ResponsibilityRecord",
    "TaskOversight",
    "can_configure_directive_ladder",
    "can_configure_installation_ladder",
    "can_see_flags",
    "can_see_inspections",
    "default_letter_opening",
    "default_letter_place",
    "evidence_flag_candidates",
    "flag_decision",
    "flag_get",
    "flag_list",
    "flag_status_counts",
    "inspection_get",
    "inspection_list",
    "inspection_people",
    "inspection_target_units",
    "inspections_open_for_flag",
    "ladder_of_directive",
    "ladder_of_installation",
    "letter_candidate_tasks",
    "letter_content",
    "letter_filter_units",
    "letter_get",
    "letter_list",
    "letter_signers",
    "letter_units",
    "letter_urgings",
    "may_conduct",
    "may_urge",
    "next_letter_number",
    "record_viewable",
    "responsibility_record",
    "scope_roots",
    "task_oversight",
    "task_urgings",
]

# How many units or tasks a drop-down or a checkbox list offers at most.
CHOICE_LIMIT = 400


# --------------------------------------------------------------------------------------------
# scopes


def _outermost(units: Iterable[Unit]) -> list[Unit]:
    kept: list[Unit] = []
    for unit in sorted(units, key=lambda u: u.path):
        if not any(unit.path.startswith(outer.path) for outer in kept):
            kept.append(unit)
    return kept


def scope_roots(actor: Person, *powers: str) -> list[Unit]:
    """The outermost units over whose subtree `actor` holds one of `powers` today, by position
    or by a current delegation (the authority module decides each delegation)."""
    if not actor.is_active:
        return []
    wanted = set(powers)
    roles = [role for role, granted in ROLE_POWERS.items() if granted & wanted]
    day, at = today(), now()
    units = [
        position.unit
        for position in Position.objects.filter(
            active_on(day), person=actor, role__in=roles
        ).select_related("unit")
    ]
    delegations = Delegation.objects.filter(
        delegate=actor, valid_from__lte=at, valid_to__gt=at, revoked_at__isnull=True
    ).select_related("unit")
    for delegation in delegations:
        if any(
            power in delegation.powers and authority.check(actor, power, delegation.unit)
            for power in powers
        ):
            units.append(delegation.unit)
    return _outermost(units)


def _within(roots: Sequence[Unit], prefix: str) -> Q | None:
    """Rows whose `prefix` unit lies in one of the subtrees; None when there is none."""
    if not roots:
        return None
    condition = Q()
    for root in roots:
        condition |= subtree_q(root.path, prefix=prefix)
    return condition


def _own_units(actor: Person) -> list[Unit]:
    """Units where `actor` holds any position today (their own people's units)."""
    return _outermost(
        p.unit
        for p in Position.objects.filter(active_on(today()), person=actor).select_related("unit")
    )


def _page_units(roots: Sequence[Unit]) -> list[Unit]:
    """The units a filter offers: the subtrees of `roots`, active today, tree order, capped."""
    condition = _within(roots, "")
    if condition is None:
        return []
    return list(
        Unit.objects.filter(condition).filter(active_on(today())).order_by("path")[:CHOICE_LIMIT]
    )


# --------------------------------------------------------------------------------------------
# flags

FLAG_READ_POWERS = (Power.INSPECTION_CONDUCT, Power.DISPUTE_DECIDE)


@dataclass(frozen=True)
class FlagFilters:
    kind: str = ""
    status: str = ""
    unit: Unit | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""


def _flags_visible(actor: Person) -> QuerySet[Flag]:
    qs = Flag.objects.select_related("unit", "person", "task", "decided_by")
    if actor.is_system:
        return qs
    condition = _within(scope_roots(actor, *FLAG_READ_POWERS), "unit__")
    return qs.none() if condition is None else qs.filter(condition)


def can_see_flags(actor: Person) -> bool:
    return actor.is_system or bool(scope_roots(actor, *FLAG_READ_POWERS))


def flag_filter_units(actor: Person) -> list[Unit]:
    return _page_units(scope_roots(actor, *FLAG_READ_POWERS))


def _flags_filtered(actor: Person, filters: FlagFilters, *, status: bool) -> QuerySet[Flag]:
    qs = _flags_visible(actor)
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


def flag_get(*, actor: Person, pk: int) -> Flag:
    flag = _flags_visible(actor).select_related("unit__parent").filter(pk=pk).first()
    if flag is None:
        raise NotFoundError("Không tìm thấy dấu hiệu.")
    return flag


def flag_evidence(flag: Flag) -> list[FlagEvidence]:
    return list(flag.evidence.select_related("task", "event").order_by("pk"))


def flag_decision(actor: Person, flag: Flag) -> Decision:
    """Whether `actor` may confirm or dismiss `flag` now: the service's own rule
    (services.require_flag_decider) and the flag still open."""
    try:
        decision = require_flag_decider(actor, flag)
    except AuthorityError as refused:
        return Decision(False, Power.INSPECTION_CONDUCT, refused.message)
    if flag.status != FlagStatus.OPEN:
        return Decision(False, decision.power, "Dấu hiệu đã được quyết định.")
    return decision


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


# --------------------------------------------------------------------------------------------
# inspections

INSPECTION_READ_POWERS = (Power.INSPECTION_CONDUCT, Power.DISPUTE_DECIDE)


@dataclass(frozen=True)
class InspectionFilters:
    status: str = ""
    unit: Unit | None = None
    year: int | None = None


def _inspections_visible(actor: Person) -> QuerySet[Inspection]:
    qs = Inspection.objects.select_related(
        "target_unit", "target_person", "inspecting_unit", "created_by", "concluded_by"
    )
    if actor.is_system:
        return qs
    condition = Q(target_person=actor) | Q(
        pk__in=HandlingDecision.objects.filter(person=actor).values("inspection_id")
    )
    over = _within(scope_roots(actor, *INSPECTION_READ_POWERS), "target_unit__")
    if over is not None:
        condition |= over
    return qs.filter(condition)


def can_see_inspections(actor: Person) -> bool:
    return _inspections_visible(actor).exists()


def may_conduct(actor: Person, unit: Unit) -> Decision:
    """inspection.conduct over `unit`: who opens, cites, concludes and decides handling there
    (the services' own check)."""
    return authority.check(actor, Power.INSPECTION_CONDUCT, unit)


def inspection_target_units(actor: Person) -> list[Unit]:
    """Units `actor` may open an inspection of (inspection.conduct), tree order, capped."""
    return _page_units(scope_roots(actor, Power.INSPECTION_CONDUCT))


def inspection_filter_units(actor: Person) -> list[Unit]:
    return _page_units(scope_roots(actor, *INSPECTION_READ_POWERS))


def inspection_list(
    *, actor: Person, filters: InspectionFilters | None = None
) -> QuerySet[Inspection]:
    filters = filters or InspectionFilters()
    qs = _inspections_visible(actor)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit is not None:
        qs = qs.filter(subtree_q(filters.unit.path, prefix="target_unit__"))
    if filters.year:
        qs = qs.filter(period_from__year__lte=filters.year, period_to__year__gte=filters.year)
    return qs.order_by("-created_at", "-pk")


def inspection_years(actor: Person) -> list[int]:
    years: set[int] = set()
    for start, end in _inspections_visible(actor).values_list("period_from", "period_to"):
        years.update(range(start.year, end.year + 1))
    return sorted(years, reverse=True)


def inspection_get(*, actor: Person, pk: int) -> Inspection:
    inspection = _inspections_visible(actor).filter(pk=pk).first()
    if inspection is None:
        raise NotFoundError("Không tìm thấy cuộc kiểm tra.")
    return inspection


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


# --------------------------------------------------------------------------------------------
# the responsibility record (hồ sơ trách nhiệm)


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


def record_viewable(actor: Person, person: Person) -> bool:
    """The person themselves, an inspector over a unit where they work, or a head above them."""
    if actor.pk == person.pk or actor.is_system:
        return True
    if person.is_system:
        return False
    return bool(
        authority.check_over_person(actor, person, Power.INSPECTION_CONDUCT)
        or authority.check_over_person(actor, person, Power.DISPUTE_DECIDE)
    )


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


# --------------------------------------------------------------------------------------------
# the ladder's configuration


def _ladder(config: LadderConfig) -> Ladder:
    return Ladder(
        remind_days_before=config.remind_days_before,
        escalate_head_after=config.escalate_head_after,
        escalate_assigner_head_after=config.escalate_assigner_head_after,
        inspection_flag_after=config.inspection_flag_after,
    )


def ladder_of_installation() -> tuple[Ladder, LadderConfig | None]:
    """The installation's ladder and its row (None: Baro's defaults, never configured)."""
    config = LadderConfig.objects.select_related("updated_by").filter(scope="installation").first()
    return (_ladder(config) if config else DEFAULT_LADDER), config


def ladder_of_directive(directive: Directive) -> tuple[Ladder, LadderConfig | None]:
    """The directive's own ladder and row, or the installation's ladder and None."""
    config = (
        LadderConfig.objects.select_related("updated_by")
        .filter(scope=f"directive:{directive.pk}")
        .first()
    )
    if config is not None:
        return _ladder(config), config
    return ladder_of_installation()[0], None


def can_configure_installation_ladder(actor: Person) -> bool:
    return bool(authority.holds_anywhere(actor, Power.REGISTRY_MANAGE))


def can_configure_directive_ladder(actor: Person, directive: Directive) -> bool:
    return may_act_for_directives(actor, directive.issuing_unit)


# --------------------------------------------------------------------------------------------
# one task's oversight (the third panel of the task page)


@dataclass
class StepRow:
    step: str
    label: str
    planned: dt.date
    urging: Urging | None
    deadline: dt.date

    @property
    def is_skipped(self) -> bool:
        """A reminder not sent before the deadline is never sent late (it would be an urging)."""
        return self.urging is None and self.step == LadderStep.REMIND and self.deadline <= today()

    @property
    def is_due(self) -> bool:
        return self.urging is None and not self.is_skipped and self.planned <= today()


@dataclass
class TaskOversight:
    task: Task
    ladder: Ladder
    own_ladder: bool
    ladder_runs: bool
    steps: list[StepRow]
    earlier: list[Urging]
    manual: list[Urging]
    letters: list[UrgingLetter]
    flags: list[Flag]
    inspections: list[Inspection]

    @property
    def is_empty(self) -> bool:
        return not (
            any(row.urging for row in self.steps)
            or self.earlier
            or self.manual
            or self.letters
            or self.flags
            or self.inspections
        )

    @property
    def urging_count(self) -> int:
        """Urgings of the task as Hà Nội counts them (not reminders or flags)."""
        rows = [row.urging for row in self.steps if row.urging is not None]
        return sum(1 for u in [*rows, *self.earlier, *self.manual] if u.step in _URGING_STEPS)


_URGING_STEPS = {
    LadderStep.URGE,
    LadderStep.ESCALATE_HEAD,
    LadderStep.ESCALATE_ASSIGNER_HEAD,
    LadderStep.MANUAL,
}


def task_ladder(task: Task) -> tuple[Ladder, bool]:
    """The ladder `task` follows (its directive's own, else the installation's) and whether
    it is the directive's own."""
    scopes = ["installation"]
    if task.directive_id is not None:
        scopes.append(f"directive:{task.directive_id}")
    configs = {c.scope: c for c in LadderConfig.objects.filter(scope__in=scopes)}
    own = configs.get(f"directive:{task.directive_id}") if task.directive_id else None
    if own is not None:
        return _ladder(own), True
    default = configs.get("installation")
    return (_ladder(default) if default else DEFAULT_LADDER), False


def task_urgings(task: Task) -> list[Urging]:
    """Every urging of the task, oldest first, with whom it addressed and its letter."""
    return list(
        Urging.objects.filter(task=task)
        .select_related("target_unit", "target_person", "urged_by", "letter")
        .order_by("created_at", "pk")
    )


def task_oversight(*, actor: Person, task: Task) -> TaskOversight:
    """The ladder of the task's current deadline step by step (planned day, and when and to
    whom each was done), earlier deadlines' steps, urgings by hand, letters citing the task,
    and the flags and inspections about it that `actor` may read."""
    ladder, own = task_ladder(task)
    urgings = task_urgings(task)
    current = {
        u.step: u for u in urgings if u.deadline == task.deadline and u.step != LadderStep.MANUAL
    }
    steps = [
        StepRow(
            step,
            str(LadderStep(step).label),
            step_day(ladder, step, task.deadline),
            None,
            task.deadline,
        )
        for step in AUTOMATIC_STEPS
    ]
    for row in steps:
        row.urging = current.get(row.step)
    earlier = [u for u in urgings if u.step != LadderStep.MANUAL and u.deadline != task.deadline]
    manual = [u for u in urgings if u.step == LadderStep.MANUAL]
    letters = list(
        UrgingLetter.objects.filter(urgings__task=task)
        .select_related("issuing_unit")
        .distinct()
        .order_by("-issued_on", "-pk")
    )
    flag_ids = set(
        Flag.objects.filter(Q(task=task) | Q(evidence__task=task)).values_list("pk", flat=True)
    )
    flags = list(_flags_visible(actor).filter(pk__in=flag_ids).order_by("-raised_at", "-pk"))
    inspections = list(
        _inspections_visible(actor)
        .filter(Q(evidence__task=task) | Q(evidence__flag_id__in=flag_ids))
        .distinct()
        .order_by("-created_at", "-pk")
    )
    return TaskOversight(
        task=task,
        ladder=ladder,
        own_ladder=own,
        ladder_runs=task.status in LADDER_STATUSES,
        steps=steps,
        earlier=earlier,
        manual=manual,
        letters=letters,
        flags=flags,
        inspections=inspections,
    )


def may_urge(actor: Person, task: Task) -> Decision:
    """task.assign over the task's lead unit, the rule of services.task_urge, and the task
    still open."""
    if task.status in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
        return Decision(False, Power.TASK_ASSIGN, "Nhiệm vụ đã kết thúc.")
    return authority.check(actor, Power.TASK_ASSIGN, task.lead_unit)


# --------------------------------------------------------------------------------------------
# urging letters

LETTER_READ_POWERS = (Power.REGISTRY_VIEW, Power.TASK_ASSIGN, Power.INSPECTION_CONDUCT)


@dataclass(frozen=True)
class LetterFilters:
    unit: Unit | None = None
    year: int | None = None
    text: str = ""


def _letters_visible(actor: Person) -> QuerySet[UrgingLetter]:
    qs = UrgingLetter.objects.select_related("issuing_unit", "signer", "created_by")
    if actor.is_system:
        return qs
    condition = Q(pk__in=[])
    issuers = _within(scope_roots(actor, *LETTER_READ_POWERS), "issuing_unit__")
    if issuers is not None:
        condition |= issuers
    urged = _within(_own_units(actor), "target_unit__")
    if urged is not None:
        condition |= Q(
            pk__in=Urging.objects.filter(urged, letter__isnull=False).values("letter_id")
        )
    condition |= Q(
        pk__in=Urging.objects.filter(target_person=actor, letter__isnull=False).values("letter_id")
    )
    return qs.filter(condition)


def letter_list(*, actor: Person, filters: LetterFilters | None = None) -> QuerySet[UrgingLetter]:
    filters = filters or LetterFilters()
    qs = _letters_visible(actor)
    if filters.unit is not None:
        qs = qs.filter(subtree_q(filters.unit.path, prefix="issuing_unit__"))
    if filters.year:
        qs = qs.filter(issued_on__year=filters.year)
    text = filters.text.strip()
    if text:
        qs = qs.filter(Q(number_symbol__icontains=text) | Q(subject__icontains=text))
    return qs.order_by("-issued_on", "-pk")


def letter_get(*, actor: Person, pk: int) -> UrgingLetter:
    letter = _letters_visible(actor).filter(pk=pk).first()
    if letter is None:
        raise NotFoundError("Không tìm thấy công văn đôn đốc.")
    return letter


def letter_urgings(letter: UrgingLetter) -> list[Urging]:
    """The letter's urgings, one per task it cited, in the order they were cited; each with its
    task and the deadline the task had when the letter was issued."""
    return list(
        Urging.objects.filter(letter=letter)
        .select_related(
            "task__lead_unit", "task__directive__issuing_unit", "task__officer", "target_unit"
        )
        .order_by("pk")
    )


def letter_filter_units(actor: Person) -> list[Unit]:
    return _page_units(scope_roots(actor, *LETTER_READ_POWERS))


def _is_party(unit: Unit) -> bool:
    kinds = Unit.objects.filter(pk__in=unit.ancestor_ids).values_list("kind", flat=True)
    return UnitKind.PARTY_COMMITTEE in set(kinds)


def letter_content(letter: UrgingLetter, urgings: Sequence[Urging] | None = None) -> LetterContent:
    """The letter as its renderer takes it (baro.oversight.letters): what was stored when it was
    issued, and each urged task with the deadline it had then, so the document is the same
    every time it is downloaded."""
    urgings = urgings if urgings is not None else letter_urgings(letter)
    unit = letter.issuing_unit
    parent = unit.parent
    superior = (
        parent.name.upper()
        if parent is not None and parent.kind not in (UnitKind.PROVINCE, UnitKind.CENTRAL)
        else ""
    )
    addressees: list[str] = []
    rows = []
    for urging in urgings:
        task = urging.task
        if task.lead_unit.name not in addressees:
            addressees.append(task.lead_unit.name)
        directive = task.directive
        source = (
            f"{DirectiveKind(directive.kind).label} số {directive.number_symbol} ngày "
            f"{format_date(directive.signed_on)}"
            if directive is not None
            else ""
        )
        rows.append(
            LetterTask(
                title=task.title,
                lead_unit=task.lead_unit.name,
                deadline=urging.deadline,
                days_overdue=max((letter.issued_on - urging.deadline).days, 0),
                expected_output=task.expected_output,
                source=source,
            )
        )
    return LetterContent(
        party=_is_party(unit),
        superior_body=superior,
        issuing_body=unit.name.upper(),
        number_symbol=letter.number_symbol,
        place=letter.place,
        issued_on=letter.issued_on,
        subject=letter.subject,
        addressees=tuple(addressees),
        opening=letter.opening,
        tasks=tuple(rows),
        reply_by=letter.reply_by,
        closing=letter.closing,
        signer_mark=letter.signer_mark,
        signer_position=letter.signer_position,
        signer_name=letter.signer.full_name,
        recipients=tuple(line for line in letter.recipients.splitlines() if line.strip()),
        report_to=unit.name,
    )


def letter_units(actor: Person) -> list[Unit]:
    """Units that `actor` may issue urging letters for: their own units (positions and
    delegations) over which they hold task.assign, tree order."""
    day, at = today(), now()
    own = {
        p.unit for p in Position.objects.filter(active_on(day), person=actor).select_related("unit")
    }
    own |= {
        d.unit
        for d in Delegation.objects.filter(
            delegate=actor, valid_from__lte=at, valid_to__gt=at, revoked_at__isnull=True
        ).select_related("unit")
    }
    return sorted(
        (u for u in own if u.is_active_on(day) and authority.check(actor, Power.TASK_ASSIGN, u)),
        key=lambda u: u.path,
    )


def letter_candidate_tasks(
    unit: Unit, *, text: str = "", overdue_only: bool = True, day: dt.date | None = None
) -> QuerySet[Task]:
    """Open tasks led within `unit`'s subtree (by default only the overdue ones), the most
    overdue first: what an urging letter of `unit` may cite."""
    day = day or today()
    qs = Task.objects.filter(
        subtree_q(unit.path, prefix="lead_unit__"),
        status__in=[TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS],
    ).select_related("lead_unit", "directive")
    if overdue_only:
        qs = qs.filter(deadline__lt=day)
    text = text.strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(lead_unit__name__icontains=text))
    return qs.order_by("deadline", "pk")


def next_letter_number(unit: Unit, day: dt.date | None = None) -> str:
    """The proposed number of the unit's next letter this year: "12/ĐĐ-STC"."""
    day = day or today()
    count = UrgingLetter.objects.filter(issuing_unit=unit, issued_on__year=day.year).count()
    return f"{count + 1}/ĐĐ-{unit.short_name or unit.code}"


_PLACE_PREFIXES = re.compile(r"^(thành phố|tỉnh|tp\.?)\s+", re.IGNORECASE)


def default_letter_place(unit: Unit) -> str:
    """The place line's default: the root unit's name without "Thành phố"/"Tỉnh" ("Hà Nội")."""
    root_id = unit.ancestor_ids[0] if unit.ancestor_ids else unit.pk
    root = unit if root_id == unit.pk else Unit.objects.filter(pk=root_id).first() or unit
    return _PLACE_PREFIXES.sub("", root.name).strip() or root.name


def default_letter_opening(tasks: Sequence[Task], unit: Unit) -> str:
    """ "Thực hiện Chỉ thị số 24-CT/TU ngày 07/8/2023 của …, …": the directives the tasks
    carry out, then what the letter is about."""
    cited: list[str] = []
    seen: set[int] = set()
    for task in tasks:
        directive = task.directive
        if directive is None or directive.pk in seen:
            continue
        seen.add(directive.pk)
        cited.append(
            f"{DirectiveKind(directive.kind).label} số {directive.number_symbol} ngày "
            f"{format_date(directive.signed_on)} của {directive.issuing_unit.name}"
        )
    basis = f"Thực hiện {'; '.join(cited)}, " if cited else ""
    lead = "t" if cited else "T"
    day = today()
    late = ", đã quá thời hạn" if tasks and all(t.deadline < day for t in tasks) else ""
    return (
        f"{basis}{lead}heo dõi trên Hệ thống Baro, đến nay các nhiệm vụ dưới đây do {unit.name} "
        f"và các đơn vị trực thuộc chủ trì vẫn chưa hoàn thành{late}."
    )


def letter_signers(unit: Unit, actor: Person) -> list[tuple[Person, str]]:
    """Who may sign a letter of `unit`: the actor if they hold task.assign there, and the
    unit's current leaders (head first), each with the position title to print."""
    day = today()
    found: dict[int, tuple[Person, str]] = {}
    leaders = (
        Position.objects.filter(active_on(day), unit=unit, role__in=[Role.HEAD, Role.DEPUTY])
        .select_related("person")
        .order_by("role", "person__full_name")
    )
    if authority.check(actor, Power.TASK_ASSIGN, unit):
        own = next((p for p in leaders if p.person_id == actor.pk), None)
        title = own.title or own.get_role_display() if own else ""
        found[actor.pk] = (actor, title)
    for position in leaders:
        if position.person_id not in found:
            found[position.person_id] = (
                position.person,
                position.title or position.get_role_display(),
            )
    return list(found.values())
