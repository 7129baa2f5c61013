from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baro.core.errors import AuthorityError
from baro.org import authority, services
from baro.org.api_auth import BearerToken, hash_token
from baro.org.authority import Power
from baro.org.models import ApiToken, Position, Role
from baro.testing.factories import PositionFactory
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.org import World, assert_refused

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _grant(world: World, **overrides: object) -> object:
    kwargs: dict[str, object] = {
        "actor": world.head,
        "delegator": world.head,
        "delegate": world.officer,
        "unit": world.dept_a,
        "powers": [Power.TASK_ASSIGN],
        "valid_from": NOW,
        "valid_to": NOW + dt.timedelta(days=7),
        "reason": "Đi công tác",
    }
    kwargs.update(overrides)
    return services.delegation_grant(**kwargs)  # type: ignore[arg-type]


def test_a_head_delegates_a_power_they_hold(world: World) -> None:
    assert not authority.check(world.officer, Power.TASK_ASSIGN, world.div_a1)
    seq = last_seq()
    delegation = _grant(world)
    event = one_new_event(seq)
    assert event.action == "org.delegation.granted"
    assert event.actor == world.head.ledger_ref
    assert event.payload["after"]["powers"] == [Power.TASK_ASSIGN]
    decision = authority.check(world.officer, Power.TASK_ASSIGN, world.div_a1)
    assert decision.delegation == delegation
    assert decision.on_behalf_of_ref == world.head.ledger_ref
    assert not authority.check(world.officer, Power.TASK_ASSIGN, world.dept_b)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"powers": [Power.REGISTRY_MANAGE]}, "org.delegation_power_not_held"),
        ({"unit": "dept_b"}, "org.delegation_power_not_held"),
        ({"powers": []}, "org.delegation_no_powers"),
        ({"powers": ["fly"]}, "org.delegation_unknown_power"),
        ({"reason": "  "}, "org.field_required"),
        ({"valid_to": NOW}, "org.delegation_bad_range"),
        ({"valid_to": NOW - dt.timedelta(hours=1)}, "org.delegation_bad_range"),
        ({"delegate": "head"}, "org.delegation_self"),
    ],
    ids=[
        "power-not-held",
        "out-of-scope",
        "no-powers",
        "unknown",
        "no-reason",
        "empty",
        "back",
        "self",
    ],
)
def test_delegation_grant_refuses_bad_input(
    world: World, overrides: dict[str, object], code: str
) -> None:
    resolved = {
        key: getattr(world, value) if key in ("unit", "delegate") else value
        for key, value in overrides.items()
    }
    assert_refused(code, lambda: _grant(world, **resolved))


def test_delegation_may_not_outlive_the_delegators_position(world: World) -> None:
    ends = timezone.localdate() + dt.timedelta(days=3)
    Position.objects.filter(person=world.head).update(valid_to=ends)
    assert_refused("org.delegation_outlives_position", lambda: _grant(world))
    within = timezone.make_aware(dt.datetime.combine(ends, dt.time.min))
    _grant(world, valid_to=within)


def test_only_the_delegator_or_a_manager_grants(world: World) -> None:
    with pytest.raises(AuthorityError):
        _grant(world, actor=world.officer)
    delegation = _grant(world, actor=world.admin)
    assert delegation.delegator == world.head  # type: ignore[attr-defined]


def test_delegation_revoke(world: World) -> None:
    delegation = _grant(world)
    with pytest.raises(AuthorityError):
        services.delegation_revoke(
            actor=world.officer,
            delegation=delegation,
            reason="x",  # type: ignore[arg-type]
        )
    seq = last_seq()
    services.delegation_revoke(actor=world.head, delegation=delegation, reason="Đã về")  # type: ignore[arg-type]
    assert one_new_event(seq).action == "org.delegation.revoked"
    assert not authority.check(world.officer, Power.TASK_ASSIGN, world.div_a1)
    assert_refused(
        "org.delegation_already_revoked",
        lambda: services.delegation_revoke(
            actor=world.head,
            delegation=delegation,
            reason="Lại",  # type: ignore[arg-type]
        ),
    )


def test_api_token_issue_stores_only_the_hash_and_logs_no_secret(world: World) -> None:
    seq = last_seq()
    token, raw = services.api_token_issue(actor=world.officer, person=world.officer, name="Máy")
    event = one_new_event(seq)
    assert event.action == "org.api_token.issued"
    assert raw not in event.body
    assert token.token_hash not in event.body
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hash_token(raw)
    assert raw not in {stored.name, stored.prefix, stored.token_hash}
    assert BearerToken().authenticate(None, raw) == world.officer  # type: ignore[arg-type]
    services.api_token_revoke(actor=world.officer, token=token)
    assert BearerToken().authenticate(None, raw) is None  # type: ignore[arg-type]


def test_an_admin_issues_tokens_only_inside_their_subtree(world: World) -> None:
    services.api_token_issue(actor=world.admin, person=world.officer, name="Tích hợp")
    stranger = PositionFactory(unit=world.other_root, role=Role.OFFICER).person
    assert_refused(
        "auth.denied",
        lambda: services.api_token_issue(actor=world.admin, person=stranger, name="X"),
        error=AuthorityError,
    )
