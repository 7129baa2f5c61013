"""Personas and a directive for the cascade tests, on top of the task tests' `ww`.

Hà Nội (root) ── Sở A ── Phòng A1
              └─ Sở B
Hải Phòng (another root)

From `ww` (baro/work/tests/conftest.py): city_head (HEAD of Hà Nội), city_deputy (DEPUTY
there), secretary (SECRETARIAT there), head (HEAD of Sở A), head_b (HEAD of Sở B), officer
(OFFICER in Phòng A1), delegate and deputy (OFFICERs in Sở A), outsider (ADMIN of Hải Phòng).
Members of Sở A are therefore head, delegate and deputy; of Phòng A1, officer.

The clock is frozen at 09:00 on Wednesday 01/10/2025 (October 2025 has no public holiday) for
every test; tests move it forward with `clock.move_to(...)`. A directive signed on 30/09
and sent on 01/10 has its plan due on 08/10 and its deployment due on 15/10.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from baro.cascade.models import Acknowledgement, DirectiveReceipt
from baro.ledger.models import LedgerEvent
from baro.work import services as work_services
from baro.work.models import Directive, DirectiveKind
from baro.work.tests.conftest import (  # noqa: F401 (fixtures re-exported for this package)
    WorkWorld,
    fast_password_hashing,
    last_seq,
    one_new_event,
    world,
    ww,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SIGNED = dt.date(2025, 9, 30)
SENT = dt.date(2025, 10, 1)
PLAN_DUE = dt.date(2025, 10, 8)
DEPLOY_DUE = dt.date(2025, 10, 15)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(at(SENT), tick=False) as traveller:
        yield traveller


@dataclass
class CascadeWorld:
    ww: WorkWorld
    directive: Directive

    def __getattr__(self, name: str) -> Any:
        # city_head, head, dept_a… straight from the personas of the task tests
        try:
            return getattr(self.ww, name)
        except AttributeError:
            return getattr(self.ww.w, name)


def register(
    personas: WorkWorld, *, number: str = "24-CT/TU", requires_cascade: bool = True
) -> Directive:
    return work_services.directive_register(
        actor=personas.city_head,
        number_symbol=number,
        kind=DirectiveKind.DIRECTIVE,
        issuing_unit=personas.root,
        signed_on=SIGNED,
        title="Về tăng cường kỷ luật, kỷ cương, trách nhiệm trong giải quyết công việc",
        requires_cascade=requires_cascade,
    )


@pytest.fixture
def cw(ww: WorkWorld) -> CascadeWorld:  # noqa: F811 (the fixture imported above)
    return CascadeWorld(ww, register(ww))


def cascade_snapshot() -> dict[str, list[dict[str, object]]]:
    """Every cascade row and ledger event, to assert that a refused command changed nothing."""
    models = [DirectiveReceipt, Acknowledgement, LedgerEvent]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


def refused(code: str, action: Any, *, error: type[Exception] | None = None) -> Any:
    """Run `action`; it must raise a DomainError with `code` and change nothing at all."""
    from baro.core.errors import DomainError

    before = cascade_snapshot()
    with pytest.raises(error or DomainError) as info:
        action()
    assert getattr(info.value, "code", None) == code, getattr(info.value, "message", info.value)
    assert cascade_snapshot() == before
    return info.value


__all__ = [
    "DEPLOY_DUE",
    "PLAN_DUE",
    "SENT",
    "SIGNED",
    "CascadeWorld",
    "at",
    "cascade_snapshot",
    "last_seq",
    "one_new_event",
    "refused",
    "register",
]
