"""Accept → report → submit → approve / return, and cancel: allowed, refused, wrong state."""

from __future__ import annotations

import pytest

from baro.core.errors import AuthorityError
from baro.core.timeutil import today
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld, assign, refused
from baro.work import services
from baro.work.models import ProgressReport, Task, TaskStatus


def accepted(ww: WorkWorld, **overrides: object) -> Task:
    task = assign(ww, **overrides)
    return services.task_accept(actor=ww.w.head, task=task)


def submitted(ww: WorkWorld, **overrides: object) -> Task:
    task = accepted(ww, **overrides)
    return services.task_submit(actor=ww.w.head, task=task)


# --- accept -----------------------------------------------------------------------------------


def test_lead_head_accepts(ww: WorkWorld) -> None:
    task = assign(ww)
    seq = last_seq()
    task = services.task_accept(actor=ww.w.head, task=task)
    assert task.status == TaskStatus.IN_PROGRESS
    event = one_new_event(seq)
    assert event.action == "work.task.accepted"
    assert event.payload["before"]["status"] == "assigned"
    assert event.payload["after"]["status"] == "in_progress"


def test_an_officer_of_the_lead_unit_holds_task_handle_and_may_accept(ww: WorkWorld) -> None:
    task = assign(ww)
    assert services.task_accept(actor=ww.w.deputy, task=task).status == TaskStatus.IN_PROGRESS


@pytest.mark.parametrize("who", ["officer", "outsider", "admin"])
def test_others_may_not_accept(ww: WorkWorld, who: str) -> None:
    task = assign(ww)
    refused(
        "auth.denied",
        lambda: services.task_accept(actor=getattr(ww.w, who), task=task),
        error=AuthorityError,
    )
    refused(
        "auth.denied",
        lambda: services.task_accept(actor=ww.head_b, task=task),
        error=AuthorityError,
    )


def test_named_officer_may_not_accept_for_the_unit(ww: WorkWorld) -> None:
    task = assign(ww, officer=ww.w.officer)
    refused(
        "auth.denied",
        lambda: services.task_accept(actor=ww.w.officer, task=task),
        error=AuthorityError,
    )


def test_accept_twice_is_the_wrong_state(ww: WorkWorld) -> None:
    task = accepted(ww)
    refused("work.wrong_state", lambda: services.task_accept(actor=ww.w.head, task=task))


# --- progress ---------------------------------------------------------------------------------


def test_named_officer_reports_progress(ww: WorkWorld) -> None:
    task = accepted(ww, officer=ww.w.officer)
    seq = last_seq()
    report = services.task_report_progress(
        actor=ww.w.officer, task=task, percent=40, text="Đã rà soát 40 thủ tục", blocker="Thiếu"
    )
    task.refresh_from_db()
    assert (task.percent, task.last_progress_at) == (40, report.created_at)
    assert report.blocker == "Thiếu"
    event = one_new_event(seq)
    assert event.action == "work.task.progress_reported"
    assert event.payload["after"]["percent"] == 40


def test_progress_refused(ww: WorkWorld) -> None:
    task = accepted(ww)
    refused(
        "auth.denied",
        lambda: services.task_report_progress(actor=ww.head_b, task=task, percent=5, text="x"),
        error=AuthorityError,
    )
    for percent in (-1, 101):
        refused(
            "work.percent_invalid",
            lambda p=percent: services.task_report_progress(
                actor=ww.w.head, task=task, percent=p, text="x"
            ),
        )
    refused(
        "work.field_required",
        lambda: services.task_report_progress(actor=ww.w.head, task=task, percent=5, text=" "),
    )
    waiting = assign(ww)
    refused(
        "work.wrong_state",
        lambda: services.task_report_progress(actor=ww.w.head, task=waiting, percent=5, text="x"),
    )
    assert not ProgressReport.objects.exists()


# --- submit -----------------------------------------------------------------------------------


def test_submit(ww: WorkWorld) -> None:
    task = accepted(ww)
    seq = last_seq()
    task = services.task_submit(actor=ww.w.head, task=task, note="Kèm báo cáo")
    assert task.status == TaskStatus.SUBMITTED
    assert one_new_event(seq).action == "work.task.submitted"


def test_submit_refused(ww: WorkWorld) -> None:
    task = accepted(ww)
    refused(
        "auth.denied",
        lambda: services.task_submit(actor=ww.w.officer, task=task),
        error=AuthorityError,
    )
    waiting = assign(ww)
    refused("work.wrong_state", lambda: services.task_submit(actor=ww.w.head, task=waiting))


# --- approve ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["city_head", "city_deputy"])
def test_assigner_or_approver_approves_with_grades(ww: WorkWorld, who: str) -> None:
    task = submitted(ww)
    seq = last_seq()
    task = services.task_approve(
        actor=getattr(ww, who), task=task, quality_grade="good", effectiveness_grade="high"
    )
    assert task.status == TaskStatus.COMPLETED
    assert task.completed_on == today()
    assert (task.quality_grade, task.effectiveness_grade, task.percent) == ("good", "high", 100)
    event = one_new_event(seq)
    assert event.action == "work.task.approved"
    assert event.payload["after"]["completed_on"] == today().isoformat()


def test_approve_refused(ww: WorkWorld) -> None:
    task = submitted(ww)
    for actor in (ww.w.head, ww.secretary, ww.w.outsider, ww.chief):
        refused(
            "auth.denied",
            lambda a=actor: services.task_approve(
                actor=a, task=task, quality_grade="good", effectiveness_grade="high"
            ),
            error=AuthorityError,
        )
    refused(
        "work.invalid_choice",
        lambda: services.task_approve(
            actor=ww.city_head, task=task, quality_grade="perfect", effectiveness_grade="high"
        ),
    )
    working = accepted(ww)
    refused(
        "work.wrong_state",
        lambda: services.task_approve(
            actor=ww.city_head, task=working, quality_grade="good", effectiveness_grade="high"
        ),
    )


# --- return -----------------------------------------------------------------------------------


def test_return_for_rework(ww: WorkWorld) -> None:
    task = submitted(ww)
    seq = last_seq()
    task = services.task_return(actor=ww.city_head, task=task, reason="Thiếu số liệu quý II")
    assert (task.status, task.return_count) == (TaskStatus.IN_PROGRESS, 1)
    event = one_new_event(seq)
    assert event.action == "work.task.returned"
    assert event.payload["reason"] == "Thiếu số liệu quý II"


def test_return_refused(ww: WorkWorld) -> None:
    task = submitted(ww)
    refused(
        "work.field_required",
        lambda: services.task_return(actor=ww.city_head, task=task, reason=""),
    )
    refused(
        "auth.denied",
        lambda: services.task_return(actor=ww.w.head, task=task, reason="x"),
        error=AuthorityError,
    )
    working = accepted(ww)
    refused(
        "work.wrong_state",
        lambda: services.task_return(actor=ww.city_head, task=working, reason="x"),
    )


# --- cancel -----------------------------------------------------------------------------------


def test_cancel_closes_a_pending_extension_in_the_same_event(ww: WorkWorld) -> None:
    import datetime as dt

    task = accepted(ww)
    extension = services.extension_request(
        actor=ww.w.head, task=task, new_deadline=task.deadline + dt.timedelta(days=3), reason="x"
    )
    seq = last_seq()
    task = services.task_cancel(actor=ww.city_head, task=task, reason="Không còn cần thiết")
    assert task.status == TaskStatus.CANCELLED
    extension.refresh_from_db()
    assert extension.status == "refused"
    event = one_new_event(seq)
    assert event.action == "work.task.cancelled"
    assert event.payload["extensions_closed"] == [extension.pk]


def test_cancel_refused(ww: WorkWorld) -> None:
    task = assign(ww)
    refused(
        "auth.denied",
        lambda: services.task_cancel(actor=ww.w.head, task=task, reason="x"),
        error=AuthorityError,
    )
    refused(
        "work.field_required",
        lambda: services.task_cancel(actor=ww.city_head, task=task, reason=""),
    )
    services.task_cancel(actor=ww.city_head, task=task, reason="x")
    refused(
        "work.wrong_state", lambda: services.task_cancel(actor=ww.city_head, task=task, reason="x")
    )
