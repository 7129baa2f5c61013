"""Personas, a real SMTP server and a real webhook receiver for the notification tests (their
types and helpers are in baro/testing/notify.py).

Hà Nội (root) ── Sở A ── Phòng A1
              └─ Sở B
Hải Phòng (another root)

From `world` (baro/testing/org.py):
  admin      ADMIN at Hà Nội: administers notifications (registry.manage)
  outsider   ADMIN of Hải Phòng: registry.manage too (webhooks are installation-wide)
  delegate   OFFICER in Sở A holding registry.manage over Sở B by delegation: may as well
  deputy     OFFICER in Sở A holding registry.manage over Sở A by delegation
  head       HEAD of Sở A: no registry.manage, may not
  officer    OFFICER in Phòng A1: may not
`nw` gives head and officer an e-mail address (through the registry's own command) and one
person who left (is_active false), to check who notify() skips.

`smtp` is an aiosmtpd server on 127.0.0.1 (a free port) collecting what it receives, `hook`
an http.server receiver in a thread that records each request and answers `hook.status`.
Passwords are hashed fast for every test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from baro.org.services import person_update
from baro.testing.factories import PositionFactory
from baro.testing.notify import HookServer, NotifyWorld, Received, SmtpServer, free_port
from baro.testing.org import World


@pytest.fixture(autouse=True)
def fast_password_hashing(fast_password_hashing: None) -> None:
    """baro.testing.org's fixture, on for every test of this package."""


@pytest.fixture
def nw(world: World) -> NotifyWorld:
    person_update(actor=world.admin, person=world.head, email="truong.so.a@hanoi.gov.vn")
    person_update(actor=world.admin, person=world.officer, email="chuyen.vien@hanoi.gov.vn")
    left = PositionFactory(unit=world.dept_a, person__full_name="Đã Nghỉ").person
    person_update(actor=world.admin, person=left, email="da.nghi@hanoi.gov.vn", is_active=False)
    for person in (world.head, world.officer, left):
        person.refresh_from_db()
    return NotifyWorld(world, left)


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
