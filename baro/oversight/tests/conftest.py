"""Fixtures of the oversight tests: the task tests' world (baro/testing/work.py), an inspector
and a controllable clock (its day is in baro/testing/oversight.py).

Hà Nội (root) ── Sở A ── Phòng A1
              └─ Sở B
Hải Phòng (another root)

From `ww` (baro/testing/work.py): city_head (HEAD of Hà Nội), city_deputy, secretary, head (HEAD
of Sở A), head_b (HEAD of Sở B), officer (OFFICER in Phòng A1), admin (ADMIN at Hà Nội),
outsider (ADMIN of Hải Phòng). Added here: inspector (INSPECTOR at Hà Nội, the whole city).

The clock is frozen at 08:00 on Monday 02/02/2026 for every test. Passwords are hashed fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from baro.org.models import Person, Role
from baro.org.services import person_create
from baro.testing.oversight import START, at
from baro.testing.work import WorkWorld


@pytest.fixture(autouse=True)
def fast_password_hashing(fast_password_hashing: None) -> None:
    """baro.testing.org's fixture, on for every test of this package."""


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(at(START), tick=False) as traveller:
        yield traveller


@pytest.fixture
def inspector(ww: WorkWorld) -> Person:
    return person_create(
        actor=ww.w.admin,
        unit=ww.root,
        full_name="Kiểm Tra Viên",
        code="KT-HN",
        role=Role.INSPECTOR,
    )
