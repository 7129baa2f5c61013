"""One task's oversight, the third panel of the task page ("rõ kết quả kiểm tra, đôn đốc, xử
lý"): its ladder step by step, its urgings and letters, the flags and inspections about it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from baro.core.timeutil import today
from baro.org.models import Person
from baro.oversight.ladder import LADDER_STATUSES, Ladder, step_day
from baro.oversight.models import (
    AUTOMATIC_STEPS,
    DISPUTE_STEPS,
    Flag,
    Inspection,
    LadderStep,
    Urging,
    UrgingLetter,
)
from baro.oversight.permissions import flags_visible, inspections_visible
from baro.oversight.queries.ladder import task_ladder
from baro.work.models import Task


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
    disputes: list[Urging] = field(default_factory=list)  # the ladder of undecided disputes

    @property
    def is_empty(self) -> bool:
        return not (
            any(row.urging for row in self.steps)
            or self.earlier
            or self.manual
            or self.letters
            or self.flags
            or self.inspections
            or self.disputes
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
        u.step: u for u in urgings if u.deadline == task.deadline and u.step in AUTOMATIC_STEPS
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
    disputes = [u for u in urgings if u.step in DISPUTE_STEPS]
    earlier = [u for u in urgings if u.step in AUTOMATIC_STEPS and current.get(u.step) is not u]
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
    flags = list(flags_visible(actor).filter(pk__in=flag_ids).order_by("-raised_at", "-pk"))
    inspections = list(
        inspections_visible(actor)
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
        disputes=disputes,
    )
