"""The task tests' personas (`ww`), which the oversight and cascade tests build on too, and the
task helpers their test modules share. A pytest plugin: the root conftest.py registers `ww`.

Hà Nội (root) ── Sở A ── Phòng A1
              └─ Sở B
Hải Phòng (another root)

From `world` (baro/testing/org.py):
  head        HEAD of Sở A                officer    OFFICER in Phòng A1
  admin       ADMIN at Hà Nội (no task powers)
  outsider    ADMIN of Hải Phòng
Added here, by org commands (so the ledger holds them like real set-up):
  city_head   HEAD of Hà Nội: assigns to Sở A / Sở B, decides their disputes
  city_deputy DEPUTY at Hà Nội: task.assign and task.approve, but no dispute.decide
  secretary   SECRETARIAT at Hà Nội: registers directives, nothing else
  head_b      HEAD of Sở B
  chief       OFFICER at Hà Nội holding dispute.decide by delegation from city_head
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from baro.core.timeutil import now
from baro.ledger.models import LedgerEvent
from baro.org import services as org_services
from baro.org.authority import Power
from baro.org.models import Person, Role, Unit
from baro.org.services import delegation_grant, person_create
from baro.testing.org import World
from baro.work import services
from baro.work.models import (
    DeadlineRule,
    Directive,
    Dispute,
    Extension,
    ProgressReport,
    Task,
    TaskCoordinator,
    TaskGroup,
    TaskStatus,
)

API = "/api/v1/work"


@dataclass
class WorkWorld:
    w: World
    city_head: Person
    city_deputy: Person
    secretary: Person
    head_b: Person
    chief: Person

    @property
    def root(self) -> Unit:
        return self.w.root

    @property
    def dept_a(self) -> Unit:
        return self.w.dept_a

    @property
    def dept_b(self) -> Unit:
        return self.w.dept_b

    @property
    def div_a1(self) -> Unit:
        return self.w.div_a1


@pytest.fixture
def ww(world: World) -> WorkWorld:
    def person(unit: Unit, role: str, name: str, code: str) -> Person:
        return person_create(actor=world.admin, unit=unit, full_name=name, code=code, role=role)

    city_head = person(world.root, Role.HEAD, "Chủ Tịch", "CT-HN")
    city_deputy = person(world.root, Role.DEPUTY, "Phó Chủ Tịch", "PCT-HN")
    secretary = person(world.root, Role.SECRETARIAT, "Văn Thư", "VT-HN")
    head_b = person(world.dept_b, Role.HEAD, "Trưởng Sở B", "GD-SOB")
    chief = person(world.root, Role.OFFICER, "Chánh Văn Phòng", "CVP-HN")
    delegation_grant(
        actor=city_head,
        delegator=city_head,
        delegate=chief,
        unit=world.root,
        powers=[Power.DISPUTE_DECIDE],
        valid_from=now() - dt.timedelta(minutes=1),
        valid_to=now() + dt.timedelta(days=30),
        reason="Chủ tịch đi công tác",
    )
    return WorkWorld(world, city_head, city_deputy, secretary, head_b, chief)


def assign(ww: WorkWorld, **overrides: Any) -> Task:
    """A task from Hà Nội (city_head) to Sở A, due in 10 working days, unless overridden."""
    kwargs: dict[str, Any] = {
        "actor": ww.city_head,
        "title": "Rà soát thủ tục hành chính",
        "lead_unit": ww.dept_a,
        "assigning_unit": ww.root,
        "deadline_rule": DeadlineRule.WORKING_DAYS,
        "deadline_days": 10,
    }
    kwargs.update(overrides)
    return services.task_assign(**kwargs)


def row(ww: WorkWorld, **fields: Any) -> Task:
    """A task row in an arbitrary state, arranged directly (like a factory) for read tests:
    states such as "completed last year, late" cannot be reached today through the services."""
    values: dict[str, Any] = {
        "title": "Nhiệm vụ",
        "assigner": ww.city_head,
        "assigning_unit": ww.root,
        "lead_unit": ww.dept_a,
        "deadline_rule": DeadlineRule.DATE,
        "assigned_on": dt.date(2026, 1, 5),
        "deadline": dt.date(2026, 3, 31),
        "status": TaskStatus.IN_PROGRESS,
    }
    values.update(fields)
    return Task.objects.create(**values)


def bearer(person: Person) -> Client:
    """A client of the API holding a fresh token of `person`."""
    _, raw = org_services.api_token_issue(actor=person, person=person, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def work_snapshot() -> dict[str, list[dict[str, object]]]:
    """Every work row and ledger event, to assert that a refused command changed nothing."""
    models = [
        Directive,
        TaskGroup,
        Task,
        TaskCoordinator,
        ProgressReport,
        Extension,
        Dispute,
        LedgerEvent,
    ]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


def refused(code: str, action: Any, *, error: type[Exception] | None = None) -> Any:
    """Run `action`; it must raise a DomainError with `code` and change nothing at all."""
    from baro.core.errors import DomainError

    before = work_snapshot()
    with pytest.raises(error or DomainError) as info:
        action()
    assert getattr(info.value, "code", None) == code, getattr(info.value, "message", info.value)
    assert work_snapshot() == before
    return info.value
