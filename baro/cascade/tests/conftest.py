"""Fixtures of the cascade tests: a frozen clock and a directive on top of the task tests' `ww`
(the types, dates and helpers are in baro/testing/cascade.py).

Hà Nội (root) ── Sở A ── Phòng A1
              └─ Sở B
Hải Phòng (another root)

From `ww` (baro/testing/work.py): city_head (HEAD of Hà Nội), city_deputy (DEPUTY there),
secretary (SECRETARIAT there), head (HEAD of Sở A), head_b (HEAD of Sở B), officer (OFFICER in
Phòng A1), delegate and deputy (OFFICERs in Sở A), outsider (ADMIN of Hải Phòng). Members of
Sở A are therefore head, delegate and deputy; of Phòng A1, officer.

The clock is frozen at 09:00 on Wednesday 01/10/2025 (October 2025 has no public holiday) for
every test; tests move it forward with `clock.move_to(...)`. A directive signed on 30/09
and sent on 01/10 has its plan due on 08/10 and its deployment due on 15/10. Passwords are
hashed fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from baro.testing.cascade import SENT, CascadeWorld, at, register
from baro.testing.work import WorkWorld


@pytest.fixture(autouse=True)
def fast_password_hashing(fast_password_hashing: None) -> None:
    """baro.testing.org's fixture, on for every test of this package."""


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(at(SENT), tick=False) as traveller:
        yield traveller


@pytest.fixture
def cw(ww: WorkWorld) -> CascadeWorld:
    return CascadeWorld(ww, register(ww))
