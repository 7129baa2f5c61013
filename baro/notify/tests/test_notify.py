"""notify(): what a command writes when it tells people, in its own transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from baro.ledger.models import LedgerEvent
from baro.notify import services
from baro.notify.models import Channel, Delivery, DeliveryStatus, Notification
from baro.notify.services import inbox
from baro.testing.ledger import last_seq
from baro.testing.notify import NotifyWorld, email_on, free_port, tell

pytestmark = pytest.mark.django_db


def endpoint(nw: NotifyWorld, url: str = "https://vpdt.hanoi.gov.vn/baro") -> Any:
    return services.webhook_register(actor=nw.admin, url=url, description="Văn phòng điện tử")


def test_it_refuses_to_run_outside_a_transaction(nw: NotifyWorld) -> None:
    # pytest-django wraps the test in a transaction; leave it to see the guard.
    connection = transaction.get_connection()
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        with pytest.raises(RuntimeError, match="inside the command's transaction"):
            services.notify(recipients=[nw.head], kind="task.assigned", title="X", body="")
    finally:
        connection.in_atomic_block = saved
    assert not Notification.objects.exists()


def test_one_notification_per_distinct_active_person_and_one_delivery_per_channel(
    nw: NotifyWorld,
) -> None:
    active = endpoint(nw)
    services.webhook_disable(actor=nw.admin, endpoint=endpoint(nw, "https://cu.example.vn/h"))
    before = last_seq()
    with email_on(free_port()):
        created = tell([nw.head, nw.officer, nw.head, nw.system, nw.left, nw.admin])
    assert created == 3  # head once, officer, admin; not the system actor nor who left
    assert last_seq() == before  # the calling command records the event, not notify()
    rows = list(Notification.objects.order_by("pk"))
    assert [n.recipient for n in rows] == [nw.head, nw.officer, nw.admin]
    first = rows[0]
    assert (first.kind, first.url, first.object_type, first.object_id) == (
        "task.assigned",
        "/nhiem-vu/12/",
        "work.task",
        "12",
    )
    assert first.read_at is None
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    # The admin has no address: no e-mail for him.
    assert sorted(emails.values_list("address", flat=True)) == [
        "chuyen.vien@hanoi.gov.vn",
        "truong.so.a@hanoi.gov.vn",
    ]
    hooks = Delivery.objects.filter(channel=Channel.WEBHOOK)
    assert sorted(hooks.values_list("notification__recipient", flat=True)) == sorted(
        [nw.head.pk, nw.officer.pk, nw.admin.pk]
    )
    assert set(hooks.values_list("endpoint", flat=True)) == {active.pk}
    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.PENDING, 0)}


def test_no_email_delivery_while_email_is_not_configured(nw: NotifyWorld) -> None:
    with override_settings(BARO_EMAIL_ENABLED=False):
        assert tell([nw.head, nw.officer]) == 2
    assert Notification.objects.count() == 2
    assert not Delivery.objects.exists()  # no e-mail, and no webhook registered


def test_a_rolled_back_command_leaves_nothing(nw: NotifyWorld) -> None:
    endpoint(nw)
    events = LedgerEvent.objects.count()

    class Refused(Exception):
        pass

    with email_on(free_port()), pytest.raises(Refused), transaction.atomic():
        services.notify(recipients=[nw.head, nw.officer], kind="k", title="Tiêu đề", body="")
        assert Notification.objects.count() == 2
        raise Refused
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert LedgerEvent.objects.count() == events


def test_two_statements_whatever_the_number_of_recipients(
    nw: NotifyWorld, django_assert_num_queries: Any
) -> None:
    endpoint(nw)
    endpoint(nw, "https://thu-hai.example.vn/hook")
    people = [nw.head, nw.officer, nw.admin, nw.delegate, nw.deputy, nw.outsider]
    with email_on(free_port()), transaction.atomic(), django_assert_num_queries(2):
        assert services.notify(recipients=people, kind="k", title="T", body="") == 6
    assert Delivery.objects.filter(channel=Channel.WEBHOOK).count() == 12
    assert Delivery.objects.filter(channel=Channel.EMAIL).count() == 2


def test_the_notification_insert_names_every_column_and_stores_what_was_said(
    nw: NotifyWorld,
) -> None:
    columns = {f.name for f in Notification._meta.concrete_fields if not f.primary_key}
    assert set(inbox._NOTIFICATION_FIELDS) == columns
    with transaction.atomic():  # outside any query capture: SQLite's fast path
        services.notify(
            recipients=[nw.head, nw.officer],
            kind="work.task.assigned",
            title="Giao nhiệm vụ",
            body="Nội dung",
            url="/nhiem-vu/7/",
            object_type="work.task",
            object_id=7,
        )
    stored = list(Notification.objects.order_by("pk"))
    assert [n.recipient_id for n in stored] == [nw.head.pk, nw.officer.pk]
    for n in stored:
        assert (n.kind, n.title, n.body, n.url, n.object_type, n.object_id) == (
            "work.task.assigned",
            "Giao nhiệm vụ",
            "Nội dung",
            "/nhiem-vu/7/",
            "work.task",
            "7",
        )
        assert n.read_at is None and n.created_at is not None


def test_nobody_to_tell_writes_nothing(nw: NotifyWorld, django_assert_num_queries: Any) -> None:
    with transaction.atomic(), django_assert_num_queries(0):
        assert services.notify(recipients=[nw.system, nw.left], kind="k", title="T", body="") == 0


def test_a_long_title_is_shortened_not_refused_and_kind_is_required(nw: NotifyWorld) -> None:
    tell([nw.head], title="Nhiệm vụ " + "rất dài " * 60 + "\nhai dòng")
    title = Notification.objects.get().title
    assert len(title) == services.TITLE_MAX_CHARS and title.endswith("…")
    assert "\n" not in title
    with pytest.raises(ValueError, match="kind"):
        tell([nw.head], kind="")
    with pytest.raises(ValueError, match="title"):
        tell([nw.head], title="  ")


def test_links_are_made_absolute_and_unsafe_links_are_not_shown(nw: NotifyWorld) -> None:
    with override_settings(BARO_BASE_URL="https://baro.hanoi.gov.vn"):
        assert services.absolute_url("/nhiem-vu/1/") == "https://baro.hanoi.gov.vn/nhiem-vu/1/"
        assert services.absolute_url("https://x.vn/a") == "https://x.vn/a"
        assert services.absolute_url("") == ""
    tell([nw.head], url="javascript:alert(1)")
    tell([nw.head], url="//evil.example/x")
    assert [n.link for n in Notification.objects.order_by("pk")] == ["", ""]
