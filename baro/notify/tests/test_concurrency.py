"""Two workers at once: deliver_due from two threads, each on its own database connection,
never sends one delivery twice, and between them send every one.

pytest-django's test transaction would hide this thread's rows from the other connections, and
its transactional mode flushes every table afterwards (the ledger's triggers refuse that, and
it would remove what the migrations put in). So the rows are made and read by threads that
commit for real (the test's own transaction stays open and unused):
- on PostgreSQL, in the test database, and removes its own rows at the end;
- on SQLite, in a copy of the test database in a file (the test database lives in shared-cache
  memory, where a second writer fails at once with "table is locked" instead of waiting as on
  a real file), which every thread of the test opens instead of the memory one.
Everything touching the database runs in threads made here, each closing its connection.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from baro.core.timeutil import now
from baro.notify import services
from baro.notify.models import Delivery, DeliveryStatus, Notification, WebhookEndpoint
from baro.org.models import Person
from baro.testing.factories import PersonFactory
from baro.testing.notify import HookServer

T = TypeVar("T")

RECIPIENTS = 30


def in_thread(work: Callable[[], T]) -> T:
    """Run `work` in a new thread (its own connection, closed after) and return its result."""
    result: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    if errors:
        raise errors[0]
    return result[0]


pytestmark = pytest.mark.django_db


@pytest.fixture
def committed_db(db: None, tmp_path: Path) -> Iterator[list[int]]:
    """A database the threads share with real commits; yields a list the test fills with the
    ids of the people it made (removed at the end on PostgreSQL)."""
    made: list[int] = []
    if connection.vendor == "sqlite":
        copy = tmp_path / "race.sqlite3"
        # A second connection to the memory database, outside the test's transaction (which
        # blocks a backup), with Django's SQL functions that the schema refers to.
        reader = connections.create_connection(DEFAULT_DB_ALIAS)
        reader.ensure_connection()
        try:
            reader.connection.execute("VACUUM INTO ?", (str(copy),))
        finally:
            reader.connection.close()
        # New connections (the threads') open the file; this thread's memory connection stays
        # open, unused, so the memory database survives for the other tests.
        saved = connection.settings_dict["NAME"]
        connection.settings_dict["NAME"] = str(copy)
        try:
            yield made
        finally:
            connection.settings_dict["NAME"] = saved
    else:
        try:
            yield made
        finally:
            in_thread(lambda: _remove(made))


def _remove(people: list[int]) -> None:
    notifications = Notification.objects.filter(recipient_id__in=people)
    Delivery.objects.filter(notification__in=notifications).delete()
    notifications.delete()
    WebhookEndpoint.objects.filter(created_by_id__in=people).delete()
    users = list(Person.objects.filter(pk__in=people).values_list("user_id", flat=True))
    Person.objects.filter(pk__in=people).delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk__in=users).delete()


def test_two_workers_never_send_one_delivery_twice(
    committed_db: list[int], hook: HookServer
) -> None:
    hook.delay = 0.01  # a receiver slow enough for the two passes to overlap

    def arrange() -> int:
        people = [PersonFactory(full_name=f"Cán Bộ {n}") for n in range(RECIPIENTS)]
        committed_db.extend(p.pk for p in people)
        # Arranged as rows (the factories' way): the ledger stays out of this test's commits.
        WebhookEndpoint.objects.create(
            url=hook.url,
            secret="khoa-ky-thu-nghiem-dong-thoi",
            created_by=people[0],
            created_at=now(),
        )
        with transaction.atomic():
            return services.notify(
                recipients=people, kind="task.assigned", title="Việc mới", body=""
            )

    assert in_thread(arrange) == RECIPIENTS
    start = threading.Barrier(2)
    reports: list[services.DeliveryReport] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            start.wait(10)
            while True:
                # Small passes, so that the two workers take turns many times.
                report = services.deliver_due(limit=3)
                with lock:
                    reports.append(report)
                if report.total == 0:
                    break
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    received = Counter(int(r.headers["X-Baro-Delivery"]) for r in hook.received)
    assert len(received) == RECIPIENTS
    assert set(received.values()) == {1}, "a delivery was sent twice"
    assert sum(r.sent for r in reports) == RECIPIENTS
    rows = in_thread(lambda: list(Delivery.objects.values_list("pk", "status", "attempts")))
    mine = [row for row in rows if row[0] in received]
    assert len(mine) == RECIPIENTS
    assert {(status, attempts) for _, status, attempts in mine} == {(DeliveryStatus.SENT, 1)}
