"""Fixtures of the oversight tests: a controllable clock and two sets of personas (their types
and shared helpers are in baro/testing/oversight.py).

Hà Nội (root) ── Sở A ── Phòng A1
              └─ Sở B
Hải Phòng (another root)

From `ww` (baro/testing/work.py): city_head (HEAD of Hà Nội), city_deputy, secretary, head (HEAD
of Sở A), head_b (HEAD of Sở B), officer (OFFICER in Phòng A1), admin (ADMIN at Hà Nội),
outsider (ADMIN of Hải Phòng). Added here: inspector (INSPECTOR at Hà Nội, the whole city).

`ov`, for the pages and the API: on top of the registry's `world` (baro/testing/org.py), all
with a login:
  boss       HEAD of Hà Nội: assigns to Sở A, urges, decides flags on Sở A (the unit above)
  head       HEAD of Sở A (the flagged, inspected, handled head)
  officer    OFFICER in Phòng A1, the task's officer
  head_b     HEAD of Sở B (beside Sở A: sees none of its oversight)
  inspector  INSPECTOR at Hà Nội (the whole city)
  admin      ADMIN at Hà Nội (the installation's ladder)
  outsider   ADMIN of Hải Phòng (another tree)
and one task, due on Thursday 12/02/2026 (before Tết), of directive 24-CT/TU.

The clock is frozen at 08:00 on Monday 02/02/2026 for every test. Passwords are hashed fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from baro.org.models import Person, Role
from baro.org.services import person_create
from baro.testing.org import World
from baro.testing.oversight import DEADLINE, START, Ov, at
from baro.testing.work import WorkWorld
from baro.work import services as work
from baro.work.models import DeadlineRule, DirectiveKind

PASSWORD = "mat-khau-giam-sat-2026"


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


def _login(world: World, unit: Any, role: str, name: str, code: str) -> Person:
    return person_create(
        actor=world.admin,
        unit=unit,
        full_name=name,
        code=code,
        role=role,
        username=code.lower(),
        password=PASSWORD,
    )


@pytest.fixture
def ov(world: World) -> Ov:
    boss = _login(world, world.root, Role.HEAD, "Chủ Tịch Thành Phố", "CT-HN")
    head_b = _login(world, world.dept_b, Role.HEAD, "Giám Đốc Sở B", "GD-SOB")
    inspector = _login(world, world.root, Role.INSPECTOR, "Kiểm Tra Viên", "KT-HN")
    directive = work.directive_register(
        actor=boss,
        number_symbol="24-CT/TU",
        kind=DirectiveKind.DIRECTIVE,
        issuing_unit=world.root,
        signed_on=dt.date(2023, 8, 7),
        title="Về tăng cường kỷ luật, kỷ cương, trách nhiệm trong giải quyết công việc",
    )
    task = work.task_assign(
        actor=boss,
        title="Rà soát thủ tục hành chính",
        lead_unit=world.dept_a,
        assigning_unit=world.root,
        deadline_rule=DeadlineRule.DATE,
        deadline=DEADLINE,
        officer=world.officer,
        directive=directive,
        expected_output="Báo cáo rà soát",
    )
    return Ov(world, boss, head_b, inspector, task, directive)
