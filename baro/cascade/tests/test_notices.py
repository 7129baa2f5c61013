"""Sending a directive hands the receiving units work (a plan, a deployment, everyone's
acknowledgement): their heads are told, by bell, e-mail and webhook, as task commands tell the
lead (issue 13.7). The first test goes through the real SMTP server and webhook receiver."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from baro.cascade import services
from baro.notify import services as notify_services
from baro.notify.models import Notification
from baro.org.models import Role
from baro.org.services import person_create, person_update
from baro.testing.cascade import CascadeWorld, refused
from baro.testing.notify import HookServer, SmtpServer, email_on

pytestmark = pytest.mark.django_db


def told() -> set[tuple[str, str]]:
    return {
        (n.recipient.full_name, n.kind) for n in Notification.objects.select_related("recipient")
    }


def test_a_send_reaches_each_receiving_head_by_bell_email_and_webhook(
    cw: CascadeWorld, smtp: SmtpServer, hook: HookServer
) -> None:
    person_update(actor=cw.w.admin, person=cw.head, email="truong.so.a@hanoi.gov.vn")
    notify_services.webhook_register(actor=cw.w.admin, url=hook.url, description="Cổng")
    smtp.start()
    with email_on(smtp.port):
        services.directive_send(
            actor=cw.city_head, directive=cw.directive, units=[cw.dept_a, cw.dept_b]
        )
        report = notify_services.deliver_due()
    assert told() == {
        ("Trưởng Sở A", "cascade.directive.received"),
        ("Trưởng Sở B", "cascade.directive.received"),
    }
    assert (report.sent, report.failed) == (3, 0)  # one e-mail (one address), two webhooks
    assert [r for rs in smtp.recipients for r in rs] == ["truong.so.a@hanoi.gov.vn"]
    message = smtp.messages[0]
    assert message["Subject"].strip() == "Văn bản cần cụ thể hóa: 24-CT/TU"
    body = message.get_content()
    assert "Thành phố Hà Nội gửi văn bản 24-CT/TU" in body
    assert "kế hoạch cụ thể hóa trước 08/10/2025" in body
    assert "quán triệt trước 15/10/2025" in body
    assert "Xem chi tiết: https://baro.hanoi.gov.vn/" in body and "/can-quan-triet/" in body
    kinds = [json.loads(r.body)["kind"] for r in hook.received]
    assert kinds == ["cascade.directive.received"] * 2


def test_a_forward_tells_the_sub_units_head_not_the_sender(cw: CascadeWorld) -> None:
    person_create(
        actor=cw.w.admin,
        unit=cw.div_a1,
        full_name="Trưởng Phòng A1",
        code="TP-A1",
        role=Role.HEAD,
        valid_from=dt.date(2025, 1, 1),
    )
    receipt = services.directive_send(
        actor=cw.city_head, directive=cw.directive, units=[cw.dept_a]
    )[0]
    before = Notification.objects.count()
    services.receipt_forward(actor=cw.head, receipt=receipt, units=[cw.div_a1])
    notes = list(Notification.objects.order_by("pk").select_related("recipient"))[before:]
    assert [(n.recipient.full_name, n.kind) for n in notes] == [
        ("Trưởng Phòng A1", "cascade.directive.received")
    ]
    assert "Sở A gửi văn bản 24-CT/TU" in notes[0].body


def test_a_refused_send_tells_nobody(cw: CascadeWorld) -> None:
    refused(
        "auth.denied",
        lambda: services.directive_send(
            actor=cw.officer, directive=cw.directive, units=[cw.dept_a]
        ),
    )
    assert Notification.objects.count() == 0
