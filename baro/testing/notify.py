"""What the notification tests' modules share: the `nw` world's type, the real SMTP and webhook
servers, and the helpers that send and check notifications. A pytest plugin (the root
conftest.py registers it): `smtp` is an aiosmtpd server on 127.0.0.1 (a free port) collecting
what it receives, `hook` an http.server receiver in a thread that records each request and
answers `hook.status`; any area's tests may send through them.

`email_on(port)` points Django's real SMTP backend at a port; `tell` calls notify() as a
command would.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from baro.ledger.models import LedgerEvent
from baro.notify import services
from baro.notify.models import Delivery, Notification, WebhookEndpoint
from baro.org.models import Person
from baro.testing.org import World

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@dataclass
class NotifyWorld:
    w: World
    left: Person  # a person who no longer works here (is_active false)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.w, name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def email_on(port: int) -> Iterator[None]:
    """E-mail configured, through Django's real SMTP backend, to 127.0.0.1:`port`."""
    with override_settings(
        EMAIL_BACKEND=SMTP_BACKEND,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
        BARO_EMAIL_ENABLED=True,
        BARO_BASE_URL="https://baro.hanoi.gov.vn",
    ):
        yield


# --------------------------------------------------------------------------------------------
# a real SMTP server


class _Collector:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    collector: _Collector = field(default_factory=_Collector)
    controller: Any = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.collector.envelopes
        ]

    @property
    def recipients(self) -> list[list[str]]:
        return [list(envelope.rcpt_tos) for envelope in self.collector.envelopes]


# --------------------------------------------------------------------------------------------
# a real webhook receiver


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HookServer:
    url: str
    received: list[Received]
    status: int = 204
    delay: float = 0.0


# --------------------------------------------------------------------------------------------
# helpers


def tell(recipients: list[Person], **kwargs: Any) -> int:
    """notify() as a command calls it: inside a transaction."""
    values: dict[str, Any] = {
        "kind": "task.assigned",
        "title": "Nhiệm vụ mới: Rà soát thủ tục hành chính",
        "body": "Đồng chí được giao chủ trì rà soát thủ tục hành chính, hạn 15/10/2025.",
        "url": "/nhiem-vu/12/",
        "object_type": "work.task",
        "object_id": 12,
    }
    values.update(kwargs)
    with transaction.atomic():
        return services.notify(recipients=recipients, **values)


def notify_snapshot() -> dict[str, list[dict[str, object]]]:
    """Every notification row and ledger event, to assert that a refusal changed nothing."""
    models = [Notification, WebhookEndpoint, Delivery, LedgerEvent]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


def refused(code: str, action: Any, *, error: type[Exception] | None = None) -> Any:
    """Run `action`; it must raise a DomainError with `code` and change nothing at all."""
    from baro.core.errors import DomainError

    before = notify_snapshot()
    with pytest.raises(error or DomainError) as info:
        action()
    assert getattr(info.value, "code", None) == code, getattr(info.value, "message", info.value)
    assert notify_snapshot() == before
    return info.value


# --------------------------------------------------------------------------------------------
# the fixtures


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An SMTP server listening on a free port (not started: call .start())."""
    server = SmtpServer(free_port())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def hook() -> Iterator[HookServer]:
    received: list[Received] = []
    state = HookServer(url="", received=received)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if state.delay:
                threading.Event().wait(state.delay)
            with lock:
                received.append(Received(self.path, dict(self.headers.items()), body))
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/baro-hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
