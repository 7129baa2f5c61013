"""The demo city loads through the real commands and tells a coherent story."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from baro.core.errors import AuthorityError, DomainError
from baro.demo import DEMO_PASSWORD, load_demo
from baro.demo.loader import DEMO_ACCOUNTS
from baro.ledger.models import LedgerEvent
from baro.ledger.verify import verify_database
from baro.org import queries
from baro.org.authority import Power, check, require
from baro.org.models import Person, Position, Role, Unit, UnitKind
from baro.web.dashboards import delegations_expired

pytestmark = pytest.mark.django_db


def test_the_demo_city_tells_a_coherent_story() -> None:
    """One load (it takes seconds), then each part of the story in turn."""
    demo = load_demo(seed=24)
    check_a_two_level_city_of_about_three_hundred_people(demo)
    check_every_demo_account_logs_in()
    check_every_active_unit_has_exactly_one_current_head()
    check_former_districts_carry_over_to_their_wards()
    check_the_finance_department_keeps_its_former_head()
    check_the_deputy_chairman_acts_under_delegation()
    check_the_demo_ledger_is_intact()
    check_it_refuses_to_load_twice()


def check_a_two_level_city_of_about_three_hundred_people(demo: str) -> None:
    people = Person.objects.filter(is_system=False).count()
    assert 280 <= people <= 380
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT, valid_to__isnull=True).count() == 15
    assert Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True).count() == 20
    assert not Unit.objects.filter(kind=UnitKind.DISTRICT, valid_to__isnull=True).exists()
    assert "Tài khoản mẫu" in demo and DEMO_PASSWORD in demo


def check_every_demo_account_logs_in() -> None:
    for account in DEMO_ACCOUNTS:
        user = authenticate(username=account.username, password=DEMO_PASSWORD)
        assert user is not None, account.username
        assert user.person.positions.filter(valid_to__isnull=True).exists(), account.username


def check_every_active_unit_has_exactly_one_current_head() -> None:
    for unit in Unit.objects.filter(valid_to__isnull=True):
        heads = Position.objects.filter(unit=unit, role=Role.HEAD, valid_to__isnull=True)
        assert heads.count() == 1, unit.code


def check_former_districts_carry_over_to_their_wards() -> None:
    district = Unit.objects.get(code="Q-HOANKIEM")
    assert district.valid_to is not None
    assert [unit.code for unit in queries.current_successors(district)] == ["HN-P-HOANKIEM"]


def check_the_finance_department_keeps_its_former_head() -> None:
    department = Unit.objects.get(code="HN-STC")
    heads = Position.objects.filter(unit=department, role=Role.HEAD).order_by("valid_from")
    assert heads.count() == 2
    assert heads[0].valid_to == heads[1].valid_from


def check_the_deputy_chairman_acts_under_delegation() -> None:
    deputy = Person.objects.get(user__username="phochutich")
    department = Unit.objects.get(code="HN-STC")
    decision = check(deputy, Power.TASK_ASSIGN, department)
    assert decision.allowed
    vice = Person.objects.get(user__username="phogiamdoc.stc")
    # The finance director's delegation expired: the vice director has only his own powers,
    # and a refusal says that the delegation ended.
    assert not check(vice, Power.DISPUTE_DECIDE, department).allowed
    assert not check(vice, Power.DIRECTIVE_ISSUE, department).allowed
    with pytest.raises(AuthorityError, match=r"87/QĐ-STC.*đã hết hạn lúc"):
        require(vice, Power.DISPUTE_DECIDE, department)
    expired = delegations_expired(vice)
    assert [len(row["refused"]) for row in expired] == [2]


def check_the_demo_ledger_is_intact() -> None:
    assert LedgerEvent.objects.count() > Person.objects.count()
    report = verify_database()
    assert report.ok, report
    assert report.checkpoints >= 1, "the demo ends with a signed checkpoint"


def check_it_refuses_to_load_twice() -> None:
    with pytest.raises(DomainError) as refused:
        load_demo()
    assert refused.value.code == "demo.not_empty"
    assert "không nạp lại" in load_demo(if_empty=True)
