"""Fixtures of the oversight tests: the task tests' world (baro/work/tests/conftest.py) and a
controllable clock.

Hà Nội (root) ── Sở A ── Phòng A1
              └─ Sở B
Hải Phòng (another root)

From `ww`: city_head (HEAD of Hà Nội), city_deputy, secretary, head (HEAD of Sở A), head_b
(HEAD of Sở B), officer (OFFICER in Phòng A1), admin (ADMIN at Hà Nội), outsider (ADMIN of
Hải Phòng). Added here: inspector (INSPECTOR at Hà Nội, the whole city).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from baro.org.models import Person, Role
from baro.org.services import person_create
from baro.work.tests.conftest import (  # noqa: F401 (fixtures re-exported for this package)
    WorkWorld,
    assign,
    fast_password_hashing,
    last_seq,
    one_new_event,
    world,
    ww,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.date(2026, 2, 2)  # Monday, two weeks before Tết Bính Ngọ (17/02/2026)


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(at(START), tick=False) as traveller:
        yield traveller


@pytest.fixture
def inspector(ww: WorkWorld) -> Person:  # noqa: F811 (the fixture imported above)
    return person_create(
        actor=ww.w.admin,
        unit=ww.root,
        full_name="Kiểm Tra Viên",
        code="KT-HN",
        role=Role.INSPECTOR,
    )


__all__ = ["HANOI", "START", "assign", "at"]
