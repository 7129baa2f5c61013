"""directive_register and task_assign: who may, what is stored, what is refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from baro.core.errors import AuthorityError, ConflictError
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld, assign, refused
from baro.work import services
from baro.work.models import DeadlineRule, DirectiveKind, TaskCoordinator, TaskStatus
from baro.workdays.calendar import add_working_days

# A Tuesday after the personas' appointments; 10 working days later, skipping two weekends,
# is Tuesday 15/06/2027.
DAY = dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC)


def register(ww: WorkWorld, **overrides: object) -> object:
    kwargs: dict[str, object] = {
        "actor": ww.secretary,
        "number_symbol": "24-CT/TU",
        "kind": DirectiveKind.DIRECTIVE,
        "issuing_unit": ww.root,
        "signed_on": dt.date(2023, 8, 7),
        "title": "Về tăng cường kỷ luật, kỷ cương và trách nhiệm giải quyết công việc",
        "signer": ww.city_head,
        "requires_cascade": True,
        "groups": ["Nhiệm vụ chung", "Nhiệm vụ cụ thể"],
    }
    kwargs.update(overrides)
    return services.directive_register(**kwargs)  # type: ignore[arg-type]


# --- directive_register -----------------------------------------------------------------------


def test_secretariat_registers_a_directive_with_its_groups(ww: WorkWorld) -> None:
    seq = last_seq()
    directive = register(ww)
    assert directive.registered_by == ww.secretary
    assert (directive.plan_days, directive.deploy_days) == (7, 14)
    assert [g.name for g in directive.groups.all()] == ["Nhiệm vụ chung", "Nhiệm vụ cụ thể"]
    event = one_new_event(seq)
    assert event.action == "work.directive.registered"
    assert event.object_type == "work.directive"
    assert event.payload["after"]["number_symbol"] == "24-CT/TU"
    assert event.payload["before"] is None


def test_the_leader_may_register_too(ww: WorkWorld) -> None:
    assert register(ww, actor=ww.city_head).registered_by == ww.city_head


@pytest.mark.parametrize("who", ["city_deputy", "outsider", "admin", "head"])
def test_others_may_not_register(ww: WorkWorld, who: str) -> None:
    actor = getattr(ww, who, None) or getattr(ww.w, who)
    refused("auth.denied", lambda: register(ww, actor=actor), error=AuthorityError)


def test_same_number_same_year_is_a_conflict_next_year_is_fine(ww: WorkWorld) -> None:
    register(ww)
    refused(
        "work.directive_duplicate",
        lambda: register(ww, number_symbol=" 24-CT/TU ", signed_on=dt.date(2023, 12, 1)),
        error=ConflictError,
    )
    register(ww, signed_on=dt.date(2024, 2, 1))


def test_directive_bad_input(ww: WorkWorld) -> None:
    refused("work.field_required", lambda: register(ww, number_symbol="  "))
    refused("work.field_required", lambda: register(ww, title=""))
    refused("work.invalid_choice", lambda: register(ww, kind="memo"))
    refused("work.cascade_days_invalid", lambda: register(ww, plan_days=10, deploy_days=5))
    refused("work.signed_in_future", lambda: register(ww, signed_on=dt.date(2999, 1, 1)))


# --- task_assign ------------------------------------------------------------------------------


@time_machine.travel(DAY, tick=False)
def test_city_head_assigns_with_coordinators_and_working_day_deadline(ww: WorkWorld) -> None:
    directive = register(ww)
    group = directive.groups.first()
    seq = last_seq()
    task = assign(
        ww,
        directive=directive,
        group=group,
        coordinators=[(ww.dept_b, "Cung cấp số liệu", dt.date(2027, 6, 10))],
        officer=ww.w.head,
        expected_output="Báo cáo rà soát",
        is_new_difficult=True,
    )
    assert task.status == TaskStatus.ASSIGNED
    assert task.assigned_on == dt.date(2027, 6, 1)
    assert task.deadline == add_working_days(dt.date(2027, 6, 1), 10) == dt.date(2027, 6, 15)
    assert (task.deadline_rule, task.deadline_days) == (DeadlineRule.WORKING_DAYS, 10)
    assert task.assigner == ww.city_head
    assert list(TaskCoordinator.objects.filter(task=task).values_list("unit", flat=True)) == [
        ww.dept_b.pk
    ]
    event = one_new_event(seq)
    assert event.action == "work.task.assigned"
    assert event.object_type == "work.task"
    assert event.object_id == str(task.pk)
    after = event.payload["after"]
    assert after["lead_unit_id"] == ww.dept_a.pk
    assert after["coordinators"][0]["part"] == "Cung cấp số liệu"


@time_machine.travel(DAY, tick=False)
def test_deadline_rules(ww: WorkWorld) -> None:
    # 30 calendar days from 1/6 is Thursday 1/7.
    assert assign(ww, deadline_rule="calendar_days", deadline_days=30).deadline == dt.date(
        2027, 7, 1
    )
    # 5 calendar days lands on Sunday 6/6: moved to Monday 7/6.
    assert assign(ww, deadline_rule="calendar_days", deadline_days=5).deadline == dt.date(
        2027, 6, 7
    )
    period = assign(
        ww,
        deadline_rule="period",
        deadline_period_kind="quarter",
        deadline_period_year=2027,
        deadline_period_number=3,
    )
    assert period.deadline == dt.date(2027, 9, 30)
    assert (period.deadline_period_kind, period.deadline_period_number) == ("quarter", 3)
    fixed = assign(ww, deadline_rule="date", deadline=dt.date(2027, 6, 1))
    assert fixed.deadline == dt.date(2027, 6, 1)  # due today is allowed


def test_a_deputy_with_task_assign_may_assign(ww: WorkWorld) -> None:
    assert assign(ww, actor=ww.city_deputy).assigner == ww.city_deputy


def test_head_of_sa_assigns_to_his_division(ww: WorkWorld) -> None:
    task = assign(ww, actor=ww.w.head, assigning_unit=ww.dept_a, lead_unit=ww.div_a1)
    assert task.lead_unit == ww.div_a1


@time_machine.travel(DAY, tick=False)
def test_deadline_before_assignment_is_refused(ww: WorkWorld) -> None:
    refused(
        "work.deadline_before_assignment",
        lambda: assign(ww, deadline_rule="date", deadline=dt.date(2027, 5, 31)),
    )
    refused(
        "work.deadline_before_assignment",
        lambda: assign(
            ww,
            deadline_rule="period",
            deadline_period_kind="quarter",
            deadline_period_year=2027,
            deadline_period_number=1,
        ),
    )


def test_assign_refused_without_power_or_outside_the_subtree(ww: WorkWorld) -> None:
    # Sở A's head has no power over Hà Nội, the assigning unit he names.
    refused("auth.denied", lambda: assign(ww, actor=ww.w.head), error=AuthorityError)
    refused("auth.denied", lambda: assign(ww, actor=ww.w.officer), error=AuthorityError)
    refused("auth.denied", lambda: assign(ww, actor=ww.w.outsider), error=AuthorityError)
    refused("auth.denied", lambda: assign(ww, actor=ww.secretary), error=AuthorityError)
    # Sideways: Sở A assigning to Sở B through itself.
    refused(
        "work.lead_outside",
        lambda: assign(ww, actor=ww.w.head, assigning_unit=ww.dept_a, lead_unit=ww.dept_b),
        error=AuthorityError,
    )
    refused(
        "work.lead_outside",
        lambda: assign(ww, lead_unit=ww.w.other_root),
        error=AuthorityError,
    )


def test_assign_bad_input(ww: WorkWorld) -> None:
    refused("work.coordinator_is_lead", lambda: assign(ww, coordinators=[(ww.dept_a, "", None)]))
    refused(
        "work.coordinator_duplicate",
        lambda: assign(ww, coordinators=[(ww.dept_b, "", None), (ww.dept_b, "x", None)]),
    )
    refused(
        "work.coordinator_outside",
        lambda: assign(ww, coordinators=[(ww.w.other_root, "", None)]),
        error=AuthorityError,
    )
    refused(
        "work.sub_deadline_invalid",
        lambda: assign(ww, coordinators=[(ww.dept_b, "", dt.date(2999, 1, 1))]),
    )
    refused("work.field_required", lambda: assign(ww, title="   "))
    refused("work.deadline_days_invalid", lambda: assign(ww, deadline_days=0))
    refused("work.invalid_choice", lambda: assign(ww, deadline_rule="soon"))
    refused("work.invalid_choice", lambda: assign(ww, priority="whenever"))
    refused(
        "work.period_invalid",
        lambda: assign(ww, deadline_rule="period", deadline_period_kind="quarter"),
    )
    # The officer must work in the lead unit's subtree.
    refused("work.officer_outside", lambda: assign(ww, officer=ww.head_b))
