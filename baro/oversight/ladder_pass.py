"""One pass of the urging ladder: find every task whose next step is due and record each step
through its command (ladder_step_record), in the ladder's order; then every ownership dispute
left undecided past its deadline (dispute_ladder_step_record): its decider urged, then the head
above the decider told.

Idempotent: a step is recorded once per task and deadline (the database's unique (task,
deadline, step) behind the command), so a pass can be repeated, interrupted or run by two
workers at once. The worker (baro.worker) runs this beside the detectors and the outbox.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable

from django.db.models import Exists, OuterRef, Q, Subquery

from baro.core.run import run_command
from baro.core.timeutil import today as current_day
from baro.org.models import Person, Position, Role, Unit, system_person
from baro.org.queries import active_on
from baro.oversight.ladder import (
    DEFAULT_LADDER,
    LADDER_STATUSES,
    Ladder,
    dispute_offset,
    ladder_of,
    latest_due_deadline,
    latest_overdue_deadline,
)
from baro.oversight.models import (
    AUTOMATIC_STEPS,
    DISPUTE_STEPS,
    LadderConfig,
    LadderStep,
    Urging,
)
from baro.oversight.people import inspectors_over, persons_by_id
from baro.oversight.services import (
    DisputeCandidate,
    LadderCandidate,
    dispute_ladder_step_record,
    ladder_step_record,
)
from baro.work.models import Dispute, DisputeStatus, Task


def ladders_in_use() -> tuple[Ladder, dict[int, Ladder]]:
    """The installation's ladder and each directive's own, by directive id."""
    default = DEFAULT_LADDER
    own: dict[int, Ladder] = {}
    for config in LadderConfig.objects.all():
        ladder = ladder_of(config)
        if config.directive_id is None:
            default = ladder
        else:
            own[config.directive_id] = ladder
    return default, own


def _head_of(unit_column: str, day: dt.date) -> Subquery:
    """The person heading the task's `unit_column` on `day` (the latest appointed)."""
    return Subquery(
        Position.objects.filter(active_on(day), unit_id=OuterRef(unit_column), role=Role.HEAD)
        .order_by("-valid_from")
        .values("person_id")[:1]
    )


def due_candidates(
    step: str,
    ladder: Ladder,
    day: dt.date,
    *,
    directive_id: int | None = None,
    exclude_directives: Iterable[int] = (),
) -> list[LadderCandidate]:
    """Open tasks whose `step` is due on `day` and not yet recorded for their deadline, with
    their officer and the heads the step may address (one query)."""
    tasks = Task.objects.filter(
        status__in=LADDER_STATUSES, deadline__lte=latest_due_deadline(ladder, step, day)
    )
    if step == LadderStep.REMIND:
        tasks = tasks.filter(deadline__gt=day)  # a reminder after the deadline would be an urging
    if directive_id is not None:
        tasks = tasks.filter(directive_id=directive_id)
    else:
        excluded = list(exclude_directives)
        if excluded:
            tasks = tasks.filter(Q(directive__isnull=True) | ~Q(directive_id__in=excluded))
    recorded = Urging.objects.filter(
        task_id=OuterRef("pk"), deadline=OuterRef("deadline"), step=step
    )
    rows = (
        tasks.filter(~Exists(recorded))
        .annotate(
            lead_head_id=_head_of("lead_unit_id", day),
            assigning_head_id=_head_of("assigning_unit_id", day),
        )
        .order_by("deadline", "id")
        .values_list(
            "id",
            "deadline",
            "title",
            "lead_unit_id",
            "assigning_unit_id",
            "officer_id",
            "lead_head_id",
            "assigning_head_id",
        )
    )
    return [LadderCandidate(*row) for row in rows]


def due_disputes(
    step: str,
    ladder: Ladder,
    day: dt.date,
    *,
    directive_id: int | None = None,
    exclude_directives: Iterable[int] = (),
) -> list[DisputeCandidate]:
    """Open disputes whose `step` is due on `day` (their decision deadline passed by the step's
    working days) and not yet recorded, with the decider's head and the unit and head above
    the decider (one query). A decider at the root has nobody above: no escalation."""
    disputes = Dispute.objects.filter(
        status=DisputeStatus.OPEN,
        deadline__lte=latest_overdue_deadline(dispute_offset(ladder, step), day),
    )
    if step == LadderStep.DISPUTE_ESCALATE:
        disputes = disputes.filter(decider_unit__parent__isnull=False)
    if directive_id is not None:
        disputes = disputes.filter(task__directive_id=directive_id)
    else:
        excluded = list(exclude_directives)
        if excluded:
            disputes = disputes.filter(
                Q(task__directive__isnull=True) | ~Q(task__directive_id__in=excluded)
            )
    recorded = Urging.objects.filter(
        task_id=OuterRef("task_id"), deadline=OuterRef("deadline"), step=step
    )
    rows = (
        disputes.filter(~Exists(recorded))
        .annotate(
            decider_head_id=_head_of("decider_unit_id", day),
            above_head_id=_head_of("decider_unit__parent_id", day),
        )
        .order_by("deadline", "id")
        .values_list(
            "id",
            "task_id",
            "deadline",
            "task__title",
            "decider_unit_id",
            "decider_head_id",
            "decider_unit__parent_id",
            "above_head_id",
        )
    )
    return [DisputeCandidate(*row) for row in rows]


def _run_dispute_steps(
    day: dt.date, actor: Person, default: Ladder, own: dict[int, Ladder]
) -> Counter[str]:
    """The dispute steps due on `day`, in order (urge before escalate, so a dispute the worker
    missed for days gets both, in order)."""
    recorded: Counter[str] = Counter()
    for step in DISPUTE_STEPS:
        batches = [due_disputes(step, default, day, exclude_directives=own.keys())]
        batches += [
            due_disputes(step, ladder, day, directive_id=directive_id)
            for directive_id, ladder in own.items()
        ]
        candidates = [c for batch in batches for c in batch]
        if not candidates:
            continue
        people = persons_by_id(
            pk for c in candidates for pk in (c.decider_head_id, c.above_head_id) if pk is not None
        )
        for candidate in candidates:
            urging = run_command(
                dispute_ladder_step_record,
                actor=actor,
                candidate=candidate,
                step=step,
                people=people,
            )
            if urging is not None:
                recorded[step] += 1
    return recorded


def run_ladder(
    day: dt.date | None = None,
    *,
    actor: Person | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Counter[str]:
    """Record every ladder step due on `day`, step by step in the ladder's order, so a task
    that missed several (the worker was down) gets them all, in order. Returns the counts."""
    day = day or current_day()
    actor = actor or system_person()
    default, own = ladders_in_use()
    recorded: Counter[str] = Counter()
    inspectors_cache: dict[int, list[Person]] = {}
    for step in AUTOMATIC_STEPS:
        batches = [due_candidates(step, default, day, exclude_directives=own.keys())]
        batches += [
            due_candidates(step, ladder, day, directive_id=directive_id)
            for directive_id, ladder in own.items()
        ]
        candidates = [c for batch in batches for c in batch]
        if not candidates:
            continue
        people = persons_by_id(
            pk
            for c in candidates
            for pk in (c.officer_id, c.lead_head_id, c.assigning_head_id)
            if pk is not None
        )
        for index, candidate in enumerate(candidates, start=1):
            inspectors: list[Person] = []
            if step == LadderStep.INSPECTION_FLAG:
                if candidate.lead_unit_id not in inspectors_cache:
                    unit = Unit.objects.get(pk=candidate.lead_unit_id)
                    inspectors_cache[candidate.lead_unit_id] = inspectors_over(unit, day)
                inspectors = inspectors_cache[candidate.lead_unit_id]
            urging = run_command(
                ladder_step_record,
                actor=actor,
                candidate=candidate,
                step=step,
                people=people,
                inspectors=inspectors,
            )
            if urging is not None:
                recorded[step] += 1
            if progress is not None and index % 1000 == 0:
                progress(step, index, len(candidates))
    recorded.update(_run_dispute_steps(day, actor, default, own))
    return recorded
