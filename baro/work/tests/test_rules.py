"""The transitions map, timing_status and not_updated, on unsaved tasks with fixed dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baro.work import rules
from baro.work.models import Task, TaskStatus
from baro.work.rules import TaskCommand, TimingStatus, not_updated, timing_status

DEADLINE = dt.date(2026, 6, 30)


def task(status: str = TaskStatus.IN_PROGRESS, **fields: object) -> Task:
    values: dict[str, object] = {
        "status": status,
        "deadline": DEADLINE,
        "assigned_on": dt.date(2026, 6, 1),
    }
    values.update(fields)
    return Task(**values)


def test_in_progress_within_deadline_including_the_deadline_day() -> None:
    assert timing_status(task(), dt.date(2026, 6, 15)) == TimingStatus.IN_PROGRESS_ON_TIME
    assert timing_status(task(), DEADLINE) == TimingStatus.IN_PROGRESS_ON_TIME


def test_in_progress_overdue_the_day_after_the_deadline() -> None:
    assert timing_status(task(), dt.date(2026, 7, 1)) == TimingStatus.IN_PROGRESS_OVERDUE


@pytest.mark.parametrize("status", [TaskStatus.ASSIGNED, TaskStatus.SUBMITTED, TaskStatus.DISPUTED])
def test_unfinished_states_count_as_in_progress(status: str) -> None:
    assert timing_status(task(status), dt.date(2026, 7, 2)) == TimingStatus.IN_PROGRESS_OVERDUE
    assert timing_status(task(status), dt.date(2026, 6, 2)) == TimingStatus.IN_PROGRESS_ON_TIME


def test_completed_on_time_whatever_today_is() -> None:
    done = task(TaskStatus.COMPLETED, completed_on=DEADLINE)
    assert timing_status(done, dt.date(2027, 1, 1)) == TimingStatus.COMPLETED_ON_TIME


def test_completed_late() -> None:
    done = task(TaskStatus.COMPLETED, completed_on=dt.date(2026, 7, 1))
    assert timing_status(done, dt.date(2026, 7, 1)) == TimingStatus.COMPLETED_LATE


def test_cancelled_is_its_own_status() -> None:
    assert timing_status(task(TaskStatus.CANCELLED), dt.date(2027, 1, 1)) == (
        TimingStatus.CANCELLED
    )


def test_timing_labels_are_the_official_vietnamese_terms() -> None:
    assert TimingStatus.IN_PROGRESS_ON_TIME.label == "Đang thực hiện trong hạn"
    assert TimingStatus.IN_PROGRESS_OVERDUE.label == "Đang thực hiện quá hạn"
    assert TimingStatus.COMPLETED_ON_TIME.label == "Hoàn thành đúng hạn"
    assert TimingStatus.COMPLETED_LATE.label == "Hoàn thành quá hạn"


def test_not_updated_counts_from_assignment_without_reports() -> None:
    fresh = task(assigned_on=dt.date(2026, 6, 1))
    assert not not_updated(fresh, dt.date(2026, 6, 8), days=7)
    assert not_updated(fresh, dt.date(2026, 6, 9), days=7)


def test_not_updated_counts_from_the_last_report_in_viet_nam_time() -> None:
    # 23:30 UTC on 9/6 is already 10/6 in Hà Nội.
    at = dt.datetime(2026, 6, 9, 23, 30, tzinfo=dt.UTC)
    assert timezone.localtime(at).date() == dt.date(2026, 6, 10)
    reported = task(last_progress_at=at)
    assert not not_updated(reported, dt.date(2026, 6, 17), days=7)
    assert not_updated(reported, dt.date(2026, 6, 18), days=7)


def test_not_updated_uses_the_setting(settings: object) -> None:
    settings.BARO_NOT_UPDATED_DAYS = 3  # type: ignore[attr-defined]
    fresh = task(assigned_on=dt.date(2026, 6, 1))
    assert not_updated(fresh, dt.date(2026, 6, 5))
    assert rules.not_updated_days() == 3


def test_not_updated_default_is_seven_days() -> None:
    assert rules.DEFAULT_NOT_UPDATED_DAYS == 7
    fresh = task(assigned_on=dt.date(2026, 6, 1))
    assert not not_updated(fresh, dt.date(2026, 6, 8))


@pytest.mark.parametrize(
    "status",
    [TaskStatus.SUBMITTED, TaskStatus.DISPUTED, TaskStatus.COMPLETED, TaskStatus.CANCELLED],
)
def test_tasks_waiting_on_others_or_finished_are_never_not_updated(status: str) -> None:
    stale = task(status, completed_on=DEADLINE if status == TaskStatus.COMPLETED else None)
    assert not not_updated(stale, dt.date(2027, 1, 1), days=7)


def test_every_status_has_an_entry_and_every_target_is_a_status() -> None:
    assert set(rules.TRANSITIONS) == set(TaskStatus.values)
    for moves in rules.TRANSITIONS.values():
        assert set(moves) <= set(TaskCommand.values)
        assert set(moves.values()) <= set(TaskStatus.values)


def test_every_status_is_reachable_from_assignment() -> None:
    assert set(TaskStatus.values) == rules.REACHABLE_STATUSES


def test_terminal_states_allow_nothing() -> None:
    assert {TaskStatus.COMPLETED, TaskStatus.CANCELLED} == rules.TERMINAL_STATUSES
    assert rules.allowed_commands(TaskStatus.COMPLETED) == frozenset()


def test_a_disputed_task_can_only_be_decided() -> None:
    assert rules.allowed_commands(TaskStatus.DISPUTED) == {TaskCommand.DECIDE_DISPUTE}
    assert rules.target_status(TaskStatus.DISPUTED, TaskCommand.DECIDE_DISPUTE) == (
        TaskStatus.ASSIGNED
    )
