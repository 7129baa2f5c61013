"""E-mail through a real SMTP server (aiosmtpd, in this process): received, retried while
the server is down, given up after the last attempt, re-queued by an administrator."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from baro.notify import services
from baro.notify.models import Channel, Delivery, DeliveryStatus
from baro.testing.notify import NotifyWorld, SmtpServer, email_on, tell

pytestmark = pytest.mark.django_db


def test_the_email_reaches_the_smtp_server_in_vietnamese(nw: NotifyWorld, smtp: SmtpServer) -> None:
    smtp.start()
    with email_on(smtp.port):
        tell([nw.officer])
        report = services.deliver_due()
    assert (report.sent, report.failed, report.retried) == (1, 0, 0)
    assert smtp.recipients == [["chuyen.vien@hanoi.gov.vn"]]
    (message,) = smtp.messages
    # Python folds the encoded subject onto a continuation line ("Subject: \n =?utf-8?b?…"),
    # which parses back with the folding space in front.
    assert message["Subject"].strip() == "Nhiệm vụ mới: Rà soát thủ tục hành chính"
    assert message["To"] == "chuyen.vien@hanoi.gov.vn"
    assert message["From"] == "Baro <baro@localhost>"
    body = message.get_content()
    assert "Kính gửi Chuyên Viên," in body
    assert "Đồng chí được giao chủ trì rà soát thủ tục hành chính, hạn 15/10/2025." in body
    assert "Xem chi tiết: https://baro.hanoi.gov.vn/nhiem-vu/12/" in body
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert (delivery.attempts, delivery.last_error, delivery.claim_token) == (1, "", "")
    assert delivery.sent_at is not None
    # Nothing is due any more: a second pass sends nothing.
    with email_on(smtp.port):
        assert services.deliver_due().total == 0
    assert len(smtp.messages) == 1


def test_smtp_down_the_email_waits_and_goes_when_the_server_is_back(
    nw: NotifyWorld, smtp: SmtpServer
) -> None:
    with time_machine.travel(timezone.now(), tick=True) as clock, email_on(smtp.port):
        tell([nw.officer, nw.head])
        report = services.deliver_due()  # nothing listens on smtp.port yet
        assert (report.sent, report.failed, report.retried) == (0, 0, 2)
        for delivery in Delivery.objects.all():
            assert delivery.status == DeliveryStatus.PENDING
            assert delivery.attempts == 1
            assert delivery.next_attempt_at > timezone.now()
            assert "Không kết nối được máy chủ thư" in delivery.last_error
        # Not due yet: the first retry waits a minute.
        assert services.deliver_due().total == 0
        smtp.start()
        clock.shift(dt.timedelta(minutes=1, seconds=1))
        report = services.deliver_due()
    assert (report.sent, report.failed, report.retried) == (2, 0, 0)
    assert sorted(r for rs in smtp.recipients for r in rs) == [
        "chuyen.vien@hanoi.gov.vn",
        "truong.so.a@hanoi.gov.vn",
    ]
    assert set(Delivery.objects.values_list("status", "attempts", "last_error")) == {
        (DeliveryStatus.SENT, 2, "")
    }


def test_after_the_last_attempt_it_fails_and_an_administrator_requeues_it(
    nw: NotifyWorld, smtp: SmtpServer
) -> None:
    with email_on(smtp.port):
        tell([nw.officer])
        at = timezone.now()
        waits = []
        for attempt in range(1, services.MAX_ATTEMPTS + 1):
            report = services.deliver_due(now=at)
            delivery = Delivery.objects.get()
            assert delivery.attempts == attempt
            if attempt < services.MAX_ATTEMPTS:
                assert report.retried == 1 and delivery.status == DeliveryStatus.PENDING
                waits.append(round((delivery.next_attempt_at - at).total_seconds() / 60))
                # Not due a second before its time.
                assert (
                    services.deliver_due(
                        now=delivery.next_attempt_at - dt.timedelta(seconds=1)
                    ).total
                    == 0
                )
                at = delivery.next_attempt_at
            else:
                assert report.failed == 1
        assert waits == list(services.BACKOFF_MINUTES)
        assert delivery.status == DeliveryStatus.FAILED
        assert "Không kết nối được máy chủ thư" in delivery.last_error
        # Failed rows stay failed: no further pass takes them.
        assert services.deliver_due(now=at + dt.timedelta(days=30)).total == 0
        services.delivery_requeue(actor=nw.admin, delivery=delivery)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
        assert "Không kết nối được máy chủ thư" in delivery.last_error  # kept until next try
        smtp.start()
        assert services.deliver_due().sent == 1
    assert len(smtp.messages) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (DeliveryStatus.SENT, "")


def test_email_switched_off_after_notify_is_retried_not_lost(nw: NotifyWorld) -> None:
    with email_on(1):
        tell([nw.officer])
    report = services.deliver_due()  # BARO_EMAIL_ENABLED is false again here
    assert report.retried == 1
    delivery = Delivery.objects.get(channel=Channel.EMAIL)
    assert delivery.status == DeliveryStatus.PENDING
    assert "Chưa cấu hình máy chủ thư" in delivery.last_error


def test_deliver_due_refuses_to_run_inside_a_transaction(nw: NotifyWorld) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.deliver_due()
