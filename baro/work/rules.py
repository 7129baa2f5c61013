"""The task workflow's rules in one place: which command each state allows, where it leads, and
how a task stands against its deadline. Services, queries, pages, detectors and scorecards all
read these; none keeps its own copy.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baro.work.models import Task, TaskStatus

__all__ = [
    "DEFAULT_NOT_UPDATED_DAYS",
    "OPEN_STATUSES",
    "REACHABLE_STATUSES",
    "TERMINAL_STATUSES",
    "TRANSITIONS",
    "TaskCommand",
    "TimingStatus",
    "allowed_commands",
    "is_allowed",
    "not_updated",
    "not_updated_days",
    "target_status",
    "timing_status",
]


class TaskCommand(models.TextChoices):
    ACCEPT = "accept", _("Tiếp nhận")
    REFUSE = "refuse", _("Từ chối")
    DECIDE_DISPUTE = "decide_dispute", _("Quyết định tranh chấp")
    REPORT_PROGRESS = "report_progress", _("Báo cáo tiến độ")
    SUBMIT = "submit", _("Trình kết quả")
    APPROVE = "approve", _("Duyệt kết quả")
    RETURN = "return", _("Trả lại")
    REQUEST_EXTENSION = "request_extension", _("Đề nghị gia hạn")
    DECIDE_EXTENSION = "decide_extension", _("Quyết định gia hạn")
    CANCEL = "cancel", _("Hủy nhiệm vụ")


S = TaskStatus
C = TaskCommand

# state → {command: the state it leads to}. A command absent from a state's map is refused
# with `work.wrong_state`. Disputed tasks cannot be cancelled or extended: the dispute is
# decided first (within 3 working days), so the task never sits ownerless nor half-closed.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.ASSIGNED: {
        C.ACCEPT: S.IN_PROGRESS,
        C.REFUSE: S.DISPUTED,
        C.REQUEST_EXTENSION: S.ASSIGNED,
        C.DECIDE_EXTENSION: S.ASSIGNED,
        C.CANCEL: S.CANCELLED,
    },
    S.IN_PROGRESS: {
        C.REPORT_PROGRESS: S.IN_PROGRESS,
        C.SUBMIT: S.SUBMITTED,
        C.REQUEST_EXTENSION: S.IN_PROGRESS,
        C.DECIDE_EXTENSION: S.IN_PROGRESS,
        C.CANCEL: S.CANCELLED,
    },
    S.SUBMITTED: {
        C.APPROVE: S.COMPLETED,
        C.RETURN: S.IN_PROGRESS,
        C.DECIDE_EXTENSION: S.SUBMITTED,
        C.CANCEL: S.CANCELLED,
    },
    # The decided unit receives the task afresh and must accept it (it may not refuse again).
    S.DISPUTED: {C.DECIDE_DISPUTE: S.ASSIGNED},
    S.COMPLETED: {},
    S.CANCELLED: {},
}

TERMINAL_STATUSES = frozenset(status for status, moves in TRANSITIONS.items() if not moves)
OPEN_STATUSES = frozenset(TRANSITIONS) - TERMINAL_STATUSES
# Statuses in which the lead may still consult (ask a coordinator for input, a superior for
# guidance): the task is its to work on (or to decide whether to take); not while disputed (its
# lead is in question) nor once closed.
CONSULT_STATUSES = frozenset({S.ASSIGNED, S.IN_PROGRESS})


def _reachable() -> frozenset[str]:
    seen = {S.ASSIGNED.value}
    frontier = [S.ASSIGNED.value]
    while frontier:
        for target in TRANSITIONS[frontier.pop()].values():
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    return frozenset(seen)


# Every state a task can be in, starting from assignment (tests check it stays inside).
REACHABLE_STATUSES = _reachable()


def allowed_commands(status: str) -> frozenset[str]:
    """The commands a task in `status` accepts (for pages: which buttons to show)."""
    return frozenset(TRANSITIONS.get(status, {}))


def is_allowed(status: str, command: str) -> bool:
    return command in TRANSITIONS.get(status, {})


def target_status(status: str, command: str) -> str:
    """Where `command` leads from `status`; KeyError when it is not allowed there."""
    return TRANSITIONS[status][command]


# --------------------------------------------------------------------------------------------
# timing


class TimingStatus(models.TextChoices):
    """The 2×2 grid of official reports, plus cancelled (which counts in none of its cells)."""

    IN_PROGRESS_ON_TIME = "in_progress_on_time", _("Đang thực hiện trong hạn")
    IN_PROGRESS_OVERDUE = "in_progress_overdue", _("Đang thực hiện quá hạn")
    COMPLETED_ON_TIME = "completed_on_time", _("Hoàn thành đúng hạn")
    COMPLETED_LATE = "completed_late", _("Hoàn thành quá hạn")
    CANCELLED = "cancelled", _("Đã hủy")


def timing_status(task: Task, today: dt.date) -> TimingStatus:
    """Where `task` stands against its current deadline on `today`.

    The deadline day itself is still within the deadline ("hạn 30/6" means done by 30/6). A
    task waiting for acceptance, for a dispute decision or for approval of its result is not
    finished, so it is "đang thực hiện" in the grid. Completion is judged by completed_on (the
    day the result was approved) against the deadline as extended by approved extensions.
    """
    if task.status == TaskStatus.CANCELLED:
        return TimingStatus.CANCELLED
    if task.status == TaskStatus.COMPLETED:
        assert task.completed_on is not None  # a database constraint guarantees it
        if task.completed_on <= task.deadline:
            return TimingStatus.COMPLETED_ON_TIME
        return TimingStatus.COMPLETED_LATE
    if today <= task.deadline:
        return TimingStatus.IN_PROGRESS_ON_TIME
    return TimingStatus.IN_PROGRESS_OVERDUE


# "Chưa cập nhật tiến độ" is reported as a state of its own (Hà Nội 2023: 728 of 24,321 tasks
# overdue *and* not updated), but no text we found fixes after how many days silence counts.
# Seven calendar days (a weekly update) is Baro's default, not a legal figure; an installation
# changes it with the BARO_NOT_UPDATED_DAYS setting (or a caller passes `days`), no code change.
DEFAULT_NOT_UPDATED_DAYS = 7


def not_updated_days() -> int:
    """The configured silence, in calendar days, after which an open task is "not updated"."""
    return int(getattr(settings, "BARO_NOT_UPDATED_DAYS", DEFAULT_NOT_UPDATED_DAYS))


def not_updated(task: Task, today: dt.date, days: int | None = None) -> bool:
    """Whether an unfinished `task` has had no progress report for more than `days` days.

    Counted from the latest progress report, or from the assignment when there is none yet.
    Only a task its lead is working on can be silent: one waiting for approval of its result or
    for a dispute decision waits on someone else, and finished or cancelled tasks are done.
    `days` defaults to the setting.
    """
    if task.status not in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS):
        return False
    limit = not_updated_days() if days is None else days
    if task.last_progress_at is not None:
        last = timezone.localtime(task.last_progress_at).date()
    else:
        last = task.assigned_on
    return (today - last).days > limit
