"""The registry's personas (`world`), which the tests of most apps build on, and the registry's
refusal check. A pytest plugin: the root conftest.py registers its fixtures for every package.

Hà Nội (root) ── Sở A ── Phòng A1
              └─ Sở B
Hải Phòng (another root)

admin      ADMIN at Hà Nội
head       HEAD of Sở A
officer    OFFICER in Phòng A1
outsider   ADMIN of Hải Phòng: strong, but in another tree
delegate   OFFICER in Sở A; holds registry.manage from admin over Sở B (current) and over Hà Nội
           (expired): out of scope for Sở A, and nothing over the root any more
deputy     OFFICER in Sở A with a current delegation of registry.manage over Sở A from admin

`fast_password_hashing` is not automatic here: the packages that want it for every test turn it
on in their conftest.py (the others keep Django's real hashers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from baro.ledger.models import LedgerEvent
from baro.org.models import Person, Role, Unit, UnitKind, system_person
from baro.testing.factories import DelegationFactory, PersonFactory, PositionFactory, UnitFactory


@dataclass
class World:
    root: Unit
    dept_a: Unit
    div_a1: Unit
    dept_b: Unit
    other_root: Unit
    admin: Person
    head: Person
    officer: Person
    outsider: Person
    delegate: Person
    deputy: Person
    system: Person


@pytest.fixture
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    root = UnitFactory(code="HN", name="Thành phố Hà Nội", kind=UnitKind.PROVINCE)
    dept_a = UnitFactory(code="SO-A", name="Sở A", parent=root)
    div_a1 = UnitFactory(code="PHONG-A1", name="Phòng A1", parent=dept_a, kind=UnitKind.DIVISION)
    dept_b = UnitFactory(code="SO-B", name="Sở B", parent=root)
    other_root = UnitFactory(code="HP", name="Thành phố Hải Phòng", kind=UnitKind.PROVINCE)
    admin = PositionFactory(unit=root, role=Role.ADMIN, person__full_name="Quản Trị").person
    head = PositionFactory(unit=dept_a, role=Role.HEAD, person__full_name="Trưởng Sở A").person
    officer = PositionFactory(
        unit=div_a1, role=Role.OFFICER, person__full_name="Chuyên Viên"
    ).person
    outsider = PositionFactory(
        unit=other_root, role=Role.ADMIN, person__full_name="Người Ngoài"
    ).person
    delegate = PositionFactory(unit=dept_a, role=Role.OFFICER, person__full_name="Được Ủy").person
    deputy = PositionFactory(unit=dept_a, role=Role.OFFICER, person__full_name="Phó Ủy").person
    now = timezone.now()
    DelegationFactory(
        delegator=admin,
        delegate=delegate,
        unit=root,
        valid_from=now - dt.timedelta(days=30),
        valid_to=now - dt.timedelta(days=1),
    )
    DelegationFactory(delegator=admin, delegate=delegate, unit=dept_b)
    DelegationFactory(delegator=admin, delegate=deputy, unit=dept_a)
    return World(
        root=root,
        dept_a=dept_a,
        div_a1=div_a1,
        dept_b=dept_b,
        other_root=other_root,
        admin=admin,
        head=head,
        officer=officer,
        outsider=outsider,
        delegate=delegate,
        deputy=deputy,
        system=system_person(),
    )


@pytest.fixture
def new_person(db: None) -> Person:
    return PersonFactory(full_name="Người Mới")


def registry_snapshot() -> dict[str, list[dict[str, object]]]:
    """Every registry row and ledger event, to assert that a refused command changed nothing."""
    from django.contrib.auth import get_user_model

    from baro.org.models import ApiToken, Delegation, Position, UnitSuccession

    models = [Unit, Person, Position, Delegation, ApiToken, UnitSuccession, LedgerEvent]
    snapshot = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    snapshot["User"] = list(get_user_model().objects.order_by("pk").values())
    return snapshot


def assert_refused(code: str, action: Any, *, error: type[Exception] | None = None) -> Any:
    """Run `action`; it must raise a DomainError with `code` and change nothing at all."""
    from baro.core.errors import DomainError

    before = registry_snapshot()
    with pytest.raises(error or DomainError) as info:
        action()
    assert getattr(info.value, "code", None) == code, getattr(info.value, "message", info.value)
    assert registry_snapshot() == before
    return info.value
