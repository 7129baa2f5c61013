"""Extensions: asked by the lead side, decided by the assigner side, counted when approved."""

from __future__ import annotations

import datetime as dt

from baro.core.errors import AuthorityError, ConflictError
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld, assign, refused
from baro.work import services
from baro.work.models import Extension, ExtensionStatus, Task


def in_progress(ww: WorkWorld) -> Task:
    return services.task_accept(actor=ww.w.head, task=assign(ww, officer=ww.w.officer))


def ask(ww: WorkWorld, task: Task, days: int = 10) -> Extension:
    return services.extension_request(
        actor=ww.w.officer,
        task=task,
        new_deadline=task.deadline + dt.timedelta(days=days),
        reason="Chờ ý kiến Bộ",
    )


def test_request_and_approve(ww: WorkWorld) -> None:
    task = in_progress(ww)
    old = task.deadline
    seq = last_seq()
    extension = ask(ww, task)
    event = one_new_event(seq)
    assert event.action == "work.extension.requested"
    assert event.object_type == "work.extension"
    assert (extension.old_deadline, extension.status) == (old, ExtensionStatus.REQUESTED)
    seq = last_seq()
    extension = services.extension_decide(
        actor=ww.city_head, extension=extension, approve=True, note="Đồng ý"
    )
    task.refresh_from_db()
    assert task.deadline == old + dt.timedelta(days=10)
    assert task.extension_count == 1
    assert (extension.status, extension.decided_by) == (ExtensionStatus.APPROVED, ww.city_head)
    event = one_new_event(seq)
    assert event.action == "work.extension.approved"
    assert event.payload["after"]["deadline"] == task.deadline.isoformat()


def test_refusal_keeps_the_deadline_and_needs_a_reason(ww: WorkWorld) -> None:
    task = in_progress(ww)
    extension = ask(ww, task)
    refused(
        "work.field_required",
        lambda: services.extension_decide(actor=ww.city_head, extension=extension, approve=False),
    )
    seq = last_seq()
    services.extension_decide(
        actor=ww.city_deputy, extension=extension, approve=False, note="Đủ thời gian"
    )
    assert one_new_event(seq).action == "work.extension.refused"
    before = task.deadline
    task.refresh_from_db()
    assert (task.deadline, task.extension_count) == (before, 0)
    refused(
        "work.extension_closed",
        lambda: services.extension_decide(actor=ww.city_head, extension=extension, approve=True),
    )


def test_new_date_must_be_later(ww: WorkWorld) -> None:
    task = in_progress(ww)
    refused("work.extension_not_later", lambda: ask(ww, task, days=0))
    refused("work.extension_not_later", lambda: ask(ww, task, days=-3))


def test_one_pending_request_at_a_time(ww: WorkWorld) -> None:
    task = in_progress(ww)
    ask(ww, task)
    refused("work.extension_pending", lambda: ask(ww, task, days=20), error=ConflictError)


def test_request_by_someone_outside_the_lead_side(ww: WorkWorld) -> None:
    task = in_progress(ww)
    for actor in (ww.head_b, ww.w.outsider, ww.secretary):
        refused(
            "auth.denied",
            lambda a=actor: services.extension_request(
                actor=a, task=task, new_deadline=task.deadline + dt.timedelta(days=3), reason="x"
            ),
            error=AuthorityError,
        )
    refused(
        "work.field_required",
        lambda: services.extension_request(
            actor=ww.w.head, task=task, new_deadline=task.deadline + dt.timedelta(days=3), reason=""
        ),
    )


def test_only_the_assigner_side_decides(ww: WorkWorld) -> None:
    task = in_progress(ww)
    extension = ask(ww, task)
    # The lead's own head cannot grant his unit more time.
    for actor in (ww.w.head, ww.w.officer, ww.head_b, ww.w.outsider):
        refused(
            "auth.denied",
            lambda a=actor: services.extension_decide(actor=a, extension=extension, approve=True),
            error=AuthorityError,
        )


def test_wrong_state(ww: WorkWorld) -> None:
    task = in_progress(ww)
    extension = ask(ww, task)
    services.task_submit(actor=ww.w.head, task=task)
    refused("work.wrong_state", lambda: ask(ww, task))
    services.extension_decide(actor=ww.city_head, extension=extension, approve=True)
    services.task_approve(
        actor=ww.city_head, task=task, quality_grade="good", effectiveness_grade="effective"
    )
    refused("work.wrong_state", lambda: ask(ww, task))


def test_who_asked_for_an_extension_may_not_decide_it(ww: WorkWorld) -> None:
    # The city's head holds both sides over a task he assigned to Sở A (task.handle over the
    # whole city): he may ask, but granting himself more time is refused; his deputy decides.
    task = in_progress(ww)
    extension = services.extension_request(
        actor=ww.city_head,
        task=task,
        new_deadline=task.deadline + dt.timedelta(days=7),
        reason="Chờ kết luận của Thường trực Thành ủy",
    )
    refused(
        "work.extension_own_request",
        lambda: services.extension_decide(actor=ww.city_head, extension=extension, approve=True),
        error=AuthorityError,
    )
    decided = services.extension_decide(actor=ww.city_deputy, extension=extension, approve=True)
    assert decided.status == ExtensionStatus.APPROVED


def test_the_pages_and_the_api_do_not_offer_deciding_ones_own_request(ww: WorkWorld) -> None:
    from baro.work.permissions import my_commands

    task = in_progress(ww)
    services.extension_request(
        actor=ww.city_head,
        task=task,
        new_deadline=task.deadline + dt.timedelta(days=7),
        reason="Chờ kết luận của Thường trực Thành ủy",
    )
    task.refresh_from_db()
    assert "decide_extension" not in my_commands(ww.city_head, task)
    assert "decide_extension" in my_commands(ww.city_deputy, task)
