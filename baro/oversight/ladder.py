"""The urging ladder's arithmetic: on which day each step falls for a deadline, and, turned
around for the worker's scan, the latest deadline whose step is due on a given day.

All counts are working days of baro.workdays.calendar (weekends, public holidays and Tết off,
compensatory Saturdays on), so a holiday never counts as a day of delay.

For a deadline d and a ladder (N, a, b, k):
- remind      the working day with N working days left until d: on it, (day, d] holds exactly
              N working days; sent only while the deadline has not come (day < d);
- urge        on d itself ("hạn 30/6" means done by 30/6: the deadline day is the last one);
- escalate to the lead unit's head      a working days after d (add_working_days(d, a));
- escalate to the assigning unit's head b working days after d;
- flag for inspection                   k working days after d.

An ownership dispute left undecided past its decision deadline d has two steps of its own
(dispute_offset): the decider urged 1 working day after d, the head above the decider told a
working days after d.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baro.core.errors import DomainError
from baro.oversight.models import LadderConfig, LadderStep
from baro.work.models import TaskStatus
from baro.workdays.calendar import add_working_days, is_working_day

# The ladder runs while the task is with its lead unit. It waits while the result is with the
# assigner (submitted) or a dispute is with the common superior, which have deadlines of their
# own, and stops when the task is finished or cancelled.
LADDER_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)


ONE_DAY = dt.timedelta(days=1)
MAX_STEP_DAYS = 250  # a working year: beyond that a step means nothing


@dataclass(frozen=True)
class Ladder:
    remind_days_before: int = 3
    escalate_head_after: int = 3
    escalate_assigner_head_after: int = 7
    inspection_flag_after: int = 15

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def offset(self, step: str) -> int:
        """The step's distance from the deadline in working days (negative before it)."""
        return {
            LadderStep.REMIND: -self.remind_days_before,
            LadderStep.URGE: 0,
            LadderStep.ESCALATE_HEAD: self.escalate_head_after,
            LadderStep.ESCALATE_ASSIGNER_HEAD: self.escalate_assigner_head_after,
            LadderStep.INSPECTION_FLAG: self.inspection_flag_after,
        }[step]


DEFAULT_LADDER = Ladder()


def ladder_of(config: LadderConfig) -> Ladder:
    """The ladder a stored configuration row holds."""
    return Ladder(
        remind_days_before=config.remind_days_before,
        escalate_head_after=config.escalate_head_after,
        escalate_assigner_head_after=config.escalate_assigner_head_after,
        inspection_flag_after=config.inspection_flag_after,
    )


_FIELDS = (
    ("remind_days_before", gettext_lazy("số ngày nhắc trước hạn")),
    ("escalate_head_after", gettext_lazy("số ngày quá hạn thì báo người đứng đầu đơn vị chủ trì")),
    (
        "escalate_assigner_head_after",
        gettext_lazy("số ngày quá hạn thì báo người đứng đầu đơn vị giao việc"),
    ),
    ("inspection_flag_after", gettext_lazy("số ngày quá hạn thì đưa vào diện kiểm tra")),
)


def validated_ladder(values: dict[str, Any]) -> Ladder:
    """A Ladder from form or API values, or a DomainError naming the first bad field: every
    figure a whole number of working days, at least 1, at most MAX_STEP_DAYS, and the steps
    after the deadline strictly later one after another (two steps on one day overlap)."""
    figures: dict[str, int] = {}
    for field, label in _FIELDS:
        raw = values.get(field)
        try:
            number = int(str(raw).strip())
        except (TypeError, ValueError):
            raise DomainError(
                "oversight.ladder_invalid",
                _("Chưa nhập đúng %(label)s: phải là số ngày làm việc (số nguyên).")
                % {"label": label},
                field=field,
            ) from None
        if number < 1:
            raise DomainError(
                "oversight.ladder_negative",
                _("%(label)s phải từ 1 ngày làm việc trở lên (đã nhập %(number)s).")
                % {"label": capfirst(label), "number": number},
                field=field,
            )
        if number > MAX_STEP_DAYS:
            raise DomainError(
                "oversight.ladder_invalid",
                _("%(label)s không được quá %(max_days)s ngày làm việc.")
                % {"label": capfirst(label), "max_days": MAX_STEP_DAYS},
                field=field,
            )
        figures[field] = number
    order = ("escalate_head_after", "escalate_assigner_head_after", "inspection_flag_after")
    for earlier, later in pairwise(order):
        if figures[later] <= figures[earlier]:
            labels = dict(_FIELDS)
            raise DomainError(
                "oversight.ladder_overlap",
                _(
                    "Các bước chồng lên nhau: %(later)s (%(later_days)s) phải lớn hơn "
                    "%(earlier)s (%(earlier_days)s)."
                )
                % {
                    "later": labels[later],
                    "later_days": figures[later],
                    "earlier": labels[earlier],
                    "earlier_days": figures[earlier],
                },
                field=later,
            )
    return Ladder(**figures)


def working_day_back(day: dt.date, k: int) -> dt.date:
    """The k-th working day counting back from `day` inclusive (k ≥ 1): `day` itself for k=1
    when it is a working day."""
    found = 0
    while True:
        if is_working_day(day):
            found += 1
            if found == k:
                return day
        day -= ONE_DAY


def step_day(ladder: Ladder, step: str, deadline: dt.date) -> dt.date:
    """The day `step` falls due for `deadline`."""
    if step == LadderStep.REMIND:
        return working_day_back(deadline, ladder.remind_days_before + 1)
    offset = ladder.offset(step)
    return deadline if offset == 0 else add_working_days(deadline, offset)


def latest_due_deadline(ladder: Ladder, step: str, today: dt.date) -> dt.date:
    """The latest deadline whose `step` is due on `today`: step_day(d) <= today ⟺ d <= this.

    remind: (today, d] holds at most N working days ⟺ d is before the (N+1)-th working day
    after today; escalations: (d, today] holds at least n working days ⟺ d is before the
    n-th working day counted back from today.
    """
    if step == LadderStep.REMIND:
        return add_working_days(today, ladder.remind_days_before + 1) - ONE_DAY
    offset = ladder.offset(step)
    if offset == 0:
        return today
    return working_day_back(today, offset) - ONE_DAY


def dispute_offset(ladder: Ladder, step: str) -> int:
    """Working days after a dispute's decision deadline that `step` falls: the decider is urged
    on the first working day past it, the head above the decider told when a task's lead head
    would be (escalate_head_after)."""
    offsets: dict[str, int] = {
        LadderStep.DISPUTE_URGE: 1,
        LadderStep.DISPUTE_ESCALATE: ladder.escalate_head_after,
    }
    return offsets[step]


def latest_overdue_deadline(offset: int, today: dt.date) -> dt.date:
    """The latest deadline d with at least `offset` (≥ 1) working days in (d, today]."""
    return working_day_back(today, offset) - ONE_DAY
