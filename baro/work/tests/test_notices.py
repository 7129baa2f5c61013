"""Every command that hands someone work or a decision tells them, as oversight's commands do:
the bell (a Notification), an e-mail and the webhooks (the outbox rows notify() writes with the
change). The first test sends an assignment all the way through the real SMTP server and
webhook receiver (baro/testing/notify.py); the others check who is told of each command, and
that who acted is not told of their own act.

Personas: baro/testing/work.py (`ww`). The head of Sở A leads, Phòng A1's officer handles, the
city's head assigns and decides disputes, Sở B's head coordinates or is proposed.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from baro.notify import services as notify_services
from baro.notify.models import Delivery, Notification
from baro.org.models import Person
from baro.org.services import person_update
from baro.testing.notify import HookServer, SmtpServer, email_on
from baro.testing.work import WorkWorld, assign, refused
from baro.work import services
from baro.work.models import Task
from baro.work.queries.detail import open_dispute

pytestmark = pytest.mark.django_db


def told(since: int = 0) -> list[tuple[str, str, str]]:
    """(recipient, kind, title) of the notifications after id `since`, in order."""
    return [
        (n.recipient.full_name, n.kind, n.title)
        for n in Notification.objects.filter(pk__gt=since)
        .select_related("recipient")
        .order_by("pk")
    ]


def mark() -> int:
    last = Notification.objects.order_by("-pk").first()
    return last.pk if last else 0


def _first(since: int) -> Notification:
    first = Notification.objects.filter(pk__gt=since).order_by("pk").first()
    assert first is not None
    return first


def who(since: int) -> set[tuple[str, str]]:
    return {(name, kind) for name, kind, _title in told(since)}


def test_an_assignment_reaches_the_lead_by_bell_email_and_webhook(
    ww: WorkWorld, smtp: SmtpServer, hook: HookServer
) -> None:
    person_update(actor=ww.w.admin, person=ww.w.head, email="truong.so.a@hanoi.gov.vn")
    person_update(actor=ww.w.admin, person=ww.w.officer, email="chuyen.vien@hanoi.gov.vn")
    notify_services.webhook_register(actor=ww.w.admin, url=hook.url, description="Cổng")
    smtp.start()
    with email_on(smtp.port):
        task = assign(ww, officer=ww.w.officer, coordinators=[(ww.dept_b, "Số liệu", None)])
        report = notify_services.deliver_due()
    # Bell: the head and the officer of the lead, the coordinator's head; not the assigner.
    assert who(0) == {
        ("Trưởng Sở A", "work.task.assigned"),
        ("Chuyên Viên", "work.task.assigned"),
        ("Trưởng Sở B", "work.task.coordinating"),
    }
    # E-mail to the two with an address, a webhook POST per notification.
    assert (report.sent, report.failed, report.retried) == (5, 0, 0)
    assert sorted(r for rs in smtp.recipients for r in rs) == [
        "chuyen.vien@hanoi.gov.vn",
        "truong.so.a@hanoi.gov.vn",
    ]
    message = smtp.messages[0]
    assert message["Subject"].strip() == "Nhiệm vụ mới: Rà soát thủ tục hành chính"
    body = message.get_content()
    assert "Chủ Tịch (Thành phố Hà Nội) giao Sở A chủ trì nhiệm vụ" in body
    assert f"Xem chi tiết: https://baro.hanoi.gov.vn/nhiem-vu/{task.pk}/" in body
    kinds = sorted(json.loads(r.body)["kind"] for r in hook.received)
    assert kinds == ["work.task.assigned", "work.task.assigned", "work.task.coordinating"]
    assert Delivery.objects.filter(status="sent").count() == 5


def test_a_refused_assignment_tells_nobody(ww: WorkWorld) -> None:
    refused(
        "auth.denied",
        lambda: assign(ww, actor=ww.w.officer),
        error=Exception,
    )
    assert Notification.objects.count() == 0


def _in_progress(ww: WorkWorld) -> Task:
    return services.task_accept(actor=ww.w.head, task=assign(ww, officer=ww.w.officer))


def test_submission_tells_the_assigner_with_the_note(ww: WorkWorld) -> None:
    task = _in_progress(ww)
    since = mark()
    services.task_submit(actor=ww.w.officer, task=task, note="Đã xong báo cáo")
    [(name, kind, title)] = told(since)
    assert (name, kind, title) == (
        "Chủ Tịch",
        "work.task.submitted",
        "Chờ duyệt kết quả: Rà soát thủ tục hành chính",
    )
    assert "Ghi chú kết quả: Đã xong báo cáo" in Notification.objects.get(pk__gt=since).body


def test_approval_and_return_tell_the_lead_side(ww: WorkWorld) -> None:
    task = services.task_submit(actor=ww.w.officer, task=_in_progress(ww))
    since = mark()
    services.task_return(actor=ww.city_head, task=task, reason="Thiếu phụ lục")
    assert who(since) == {
        ("Trưởng Sở A", "work.task.returned"),
        ("Chuyên Viên", "work.task.returned"),
    }
    assert "Lý do: Thiếu phụ lục" in _first(since).body
    task = services.task_submit(actor=ww.w.head, task=task)
    since = mark()
    services.task_approve(
        actor=ww.city_head, task=task, quality_grade="good", effectiveness_grade="high"
    )
    assert who(since) == {
        ("Trưởng Sở A", "work.task.approved"),
        ("Chuyên Viên", "work.task.approved"),
    }
    assert "chất lượng Tốt, hiệu quả Hiệu quả cao" in _first(since).body


def test_cancelling_tells_the_lead_side(ww: WorkWorld) -> None:
    task = _in_progress(ww)
    since = mark()
    services.task_cancel(actor=ww.city_head, task=task, reason="Đã lồng ghép")
    assert who(since) == {
        ("Trưởng Sở A", "work.task.cancelled"),
        ("Chuyên Viên", "work.task.cancelled"),
    }


def test_extension_request_and_decision(ww: WorkWorld) -> None:
    task = _in_progress(ww)
    since = mark()
    extension = services.extension_request(
        actor=ww.w.officer,
        task=task,
        new_deadline=task.deadline + dt.timedelta(days=5),
        reason="Chờ số liệu",
    )
    assert who(since) == {("Chủ Tịch", "work.extension.requested")}
    assert Notification.objects.get(pk__gt=since).object_type == "work.extension"
    since = mark()
    services.extension_decide(actor=ww.city_head, extension=extension, approve=False, note="Không")
    assert who(since) == {
        ("Chuyên Viên", "work.extension.refused"),
        ("Trưởng Sở A", "work.extension.refused"),
    }


def test_a_dispute_tells_the_decider_then_everyone_the_decision_concerns(ww: WorkWorld) -> None:
    task = assign(ww)
    since = mark()
    task = services.task_refuse(
        actor=ww.w.head, task=task, reason="Thuộc Sở B", proposed_unit=ww.dept_b
    )
    # The city's head decides (the lowest common superior), by the dispute's deadline.
    [(name, kind, _title)] = told(since)
    assert (name, kind) == ("Chủ Tịch", "work.dispute.opened")
    since = mark()
    dispute = open_dispute(task)
    assert dispute is not None
    services.dispute_decide(
        actor=ww.chief, dispute=dispute, unit=ww.dept_b, reason="Đúng chức năng"
    )
    assert who(since) == {
        ("Trưởng Sở B", "work.dispute.decided"),  # gets the task
        ("Trưởng Sở A", "work.dispute.decided"),  # refused it
        ("Chủ Tịch", "work.dispute.decided"),  # assigned it
    }
    titles = {name: title for name, _kind, title in told(since)}
    assert titles["Trưởng Sở B"].startswith("Được giao chủ trì theo quyết định")


def test_who_acted_is_not_told_of_their_own_act(ww: WorkWorld) -> None:
    # The head of Sở A submits: the assigner is told; the head, the actor, is not, though he
    # is on the lead side that approvals and returns go to.
    task = services.task_accept(actor=ww.w.head, task=assign(ww))
    since = mark()
    services.task_submit(actor=ww.w.head, task=task)
    assert who(since) == {("Chủ Tịch", "work.task.submitted")}
    actors: set[Person] = {ww.w.head}
    assert not Notification.objects.filter(pk__gt=since, recipient__in=actors).exists()


def test_consulting_tells_who_must_answer_and_the_answer_who_asked(ww: WorkWorld) -> None:
    task = services.task_accept(
        actor=ww.w.head, task=assign(ww, coordinators=[(ww.dept_b, "", None)])
    )
    since = mark()
    row = services.input_request(actor=ww.w.head, task=task, unit=ww.dept_b, question="Ý kiến?")
    assert who(since) == {("Trưởng Sở B", "work.input.requested")}
    since = mark()
    services.input_answer(actor=ww.head_b, input_request=row, position="agree")
    assert who(since) == {("Trưởng Sở A", "work.input.answered")}
    since = mark()
    guidance = services.guidance_request(actor=ww.w.head, task=task, question="Xin chỉ đạo")
    assert who(since) == {("Chủ Tịch", "work.guidance.requested")}
    since = mark()
    services.guidance_answer(actor=ww.city_head, guidance=guidance, answer="Làm theo quy định")
    assert who(since) == {("Trưởng Sở A", "work.guidance.answered")}
