"""Who may run each registry command, and who may not.

Allowed: the command changes state and appends exactly one event naming the actor (and the
delegator when acting under delegation). Refused: AuthorityError, no event, no row changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from baro.core.errors import AuthorityError
from baro.ledger.models import LedgerEvent
from baro.org import services
from baro.org.models import Person, Position, Role, UnitKind
from baro.testing.factories import PersonFactory
from baro.testing.org import World, registry_snapshot

pytestmark = pytest.mark.django_db

Action = Callable[[World, Person], Any]


def _officer_position(w: World) -> Position:
    return Position.objects.get(person=w.officer, unit=w.div_a1)


def _newcomer() -> Person:
    return Person.objects.get(code="NEWCOMER")


def _future(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


ACTIONS: dict[str, tuple[str, Action]] = {
    "unit_create": (
        "org.unit.created",
        lambda w, a: services.unit_create(
            actor=a, code="MOI", name="Phòng mới", kind=UnitKind.DIVISION, parent=w.dept_a
        ),
    ),
    "unit_create_root": (
        "org.unit.created",
        lambda w, a: services.unit_create(
            actor=a, code="GOC", name="Tỉnh mới", kind=UnitKind.PROVINCE
        ),
    ),
    "unit_update": (
        "org.unit.updated",
        lambda w, a: services.unit_update(actor=a, unit=w.dept_a, name="Sở A (mới)"),
    ),
    "unit_move": (
        "org.unit.moved",
        lambda w, a: services.unit_move(actor=a, unit=w.div_a1, new_parent=w.dept_b),
    ),
    "unit_close": (
        "org.unit.closed",
        lambda w, a: services.unit_close(
            actor=a, unit=w.div_a1, on=timezone.localdate() + dt.timedelta(days=1)
        ),
    ),
    "person_create": (
        "org.person.created",
        lambda w, a: services.person_create(
            actor=a, unit=w.dept_a, full_name="Trần Thị Mới", code="CB-MOI", role=Role.OFFICER
        ),
    ),
    "person_update": (
        "org.person.updated",
        lambda w, a: services.person_update(actor=a, person=w.officer, phone="0901234567"),
    ),
    "position_appoint": (
        "org.position.appointed",
        lambda w, a: services.position_appoint(
            actor=a, person=_newcomer(), unit=w.div_a1, role=Role.DEPUTY
        ),
    ),
    "position_end": (
        "org.position.ended",
        lambda w, a: services.position_end(
            actor=a,
            position=_officer_position(w),
            on=timezone.localdate(),
            reason="Nghỉ hưu",
        ),
    ),
    "head_replace": (
        "org.unit.head_replaced",
        lambda w, a: services.head_replace(
            actor=a, unit=w.dept_a, person=_newcomer(), on=timezone.localdate()
        ),
    ),
    "delegation_grant": (
        "org.delegation.granted",
        lambda w, a: services.delegation_grant(
            actor=a,
            delegator=w.admin,
            delegate=w.officer,
            unit=w.dept_a,
            powers=["registry.view"],
            valid_from=timezone.now(),
            valid_to=_future(7),
            reason="Nghỉ phép",
        ),
    ),
    "api_token_issue": (
        "org.api_token.issued",
        lambda w, a: services.api_token_issue(actor=a, person=w.officer, name="Tích hợp"),
    ),
}

# command -> personas allowed; every other persona is refused
ALLOWED: dict[str, set[str]] = {
    "unit_create": {"admin", "system", "deputy"},
    "unit_create_root": {"admin", "system", "outsider"},
    "unit_update": {"admin", "system", "deputy"},
    "unit_move": {"admin", "system"},  # deputy manages Sở A but not Sở B
    "unit_close": {"admin", "system", "deputy"},
    "person_create": {"admin", "system", "deputy"},
    "person_update": {"admin", "system", "deputy"},
    "position_appoint": {"admin", "system", "deputy"},
    "position_end": {"admin", "system", "deputy"},
    "head_replace": {"admin", "system", "deputy"},
    "delegation_grant": {"admin", "system", "deputy"},  # admin as the delegator themself
    "api_token_issue": {"admin", "system", "deputy", "officer"},  # officer for themself
}
PERSONAS = ["admin", "system", "head", "officer", "outsider", "delegate", "deputy"]
CASES = [
    pytest.param(command, persona, persona in ALLOWED[command], id=f"{command}-{persona}")
    for command in ACTIONS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("command", "persona", "allowed"), CASES)
def test_authority_matrix(world: World, command: str, persona: str, allowed: bool) -> None:
    action_name, action = ACTIONS[command]
    actor: Person = getattr(world, persona)
    PersonFactory(code="NEWCOMER")
    if allowed:
        before = LedgerEvent.objects.count()
        action(world, actor)
        new = list(LedgerEvent.objects.order_by("seq")[before:])
        assert len(new) == 1
        assert new[0].action == action_name
        assert new[0].actor == actor.ledger_ref
        expected_behalf = world.admin.ledger_ref if persona == "deputy" else ""
        assert new[0].on_behalf_of == expected_behalf
    else:
        before_rows = registry_snapshot()
        with pytest.raises(AuthorityError):
            action(world, actor)
        assert registry_snapshot() == before_rows


def test_expired_delegation_no_longer_counts(world: World) -> None:
    # delegate's delegation over the root expired yesterday: nothing under the root but Sở B
    with pytest.raises(AuthorityError):
        services.unit_update(actor=world.delegate, unit=world.root, name="X")
    with pytest.raises(AuthorityError):
        services.unit_update(actor=world.delegate, unit=world.dept_a, name="X")
    assert not LedgerEvent.objects.exists()


def test_in_scope_delegation_records_the_delegator(world: World) -> None:
    unit = services.unit_update(actor=world.delegate, unit=world.dept_b, name="Sở B mới")
    event = LedgerEvent.objects.get()
    assert unit.name == "Sở B mới"
    assert (event.actor, event.on_behalf_of) == (
        world.delegate.ledger_ref,
        world.admin.ledger_ref,
    )


def test_delegation_stops_when_the_delegator_loses_the_power(world: World) -> None:
    services.position_end(
        actor=world.system,
        position=Position.objects.get(person=world.admin),
        on=timezone.localdate(),
        reason="Chuyển công tác",
    )
    with pytest.raises(AuthorityError):
        services.unit_update(actor=world.deputy, unit=world.dept_a, name="X")


def test_revoked_delegation_no_longer_counts(world: World) -> None:
    delegation = world.deputy.delegations_received.get()
    services.delegation_revoke(actor=world.admin, delegation=delegation, reason="Đã về")
    with pytest.raises(AuthorityError):
        services.unit_update(actor=world.deputy, unit=world.dept_a, name="X")
