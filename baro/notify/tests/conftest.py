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

`smtp` (an aiosmtpd server on 127.0.0.1) and `hook` (a webhook receiver) come from the plugin
baro/testing/notify.py, so that other areas' tests send through them too. Passwords are hashed
fast for every test.
"""

from __future__ import annotations

import pytest

from baro.org.services import person_update
from baro.testing.factories import PositionFactory
from baro.testing.notify import NotifyWorld
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
