"""What the cascade tests' modules share: the directive's calendar, the `cw` world's type, the
directive they register and their refusal check, and a tree of communes for the overview and
the demo's story. The fixtures (`clock`, `cw`) are in baro/cascade/tests/conftest.py.

A directive signed on 30/09/2025 and sent on 01/10 (October 2025 has no public holiday) has its
plan due on 08/10 and its deployment due on 15/10.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from baro.cascade.models import Acknowledgement, DirectiveReceipt
from baro.ledger.models import LedgerEvent
from baro.org.models import Person, Role, Unit, UnitKind
from baro.org.services import person_create, unit_create
from baro.testing.work import WorkWorld
from baro.work import services as work_services
from baro.work.models import Directive, DirectiveKind

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SIGNED = dt.date(2025, 9, 30)
SENT = dt.date(2025, 10, 1)
PLAN_DUE = dt.date(2025, 10, 8)
DEPLOY_DUE = dt.date(2025, 10, 15)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HANOI)


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


@dataclass
class Commune:
    unit: Unit
    head: Person
    officers: list[Person]

    @property
    def members(self) -> list[Person]:
        return [self.head, *self.officers]


def build_communes(cw: CascadeWorld, count: int) -> list[Commune]:
    communes = []
    for n in range(count):
        unit = unit_create(
            actor=cw.admin,
            code=f"XA-{n:02d}",
            name=f"Xã số {n:02d}",
            kind=UnitKind.COMMUNE,
            parent=cw.root,
        )

        def person(role: str, label: str, tag: str, unit: Unit = unit, n: int = n) -> Person:
            return person_create(
                actor=cw.admin,
                unit=unit,
                full_name=f"{label} xã {n:02d}",
                code=f"{tag}-{n:02d}",
                role=role,
            )

        communes.append(
            Commune(
                unit,
                person(Role.HEAD, "Chủ tịch", "CT"),
                [
                    person(Role.OFFICER, "Công chức A", "CCA"),
                    person(Role.OFFICER, "Công chức B", "CCB"),
                ],
            )
        )
    return communes
