"""The due day itself, pinned: a plan or a deployment done on its due day is on time, a day
later is one day late; not done, it is still in time on the due day and one day overdue the day
after; a member who has not acknowledged counts as late only from the day after the deployment
due. Each case is read through the overview the issuer sees, on real receipts.

A directive sent on 01/10/2025 has its plan due on 08/10 and its deployment due on 15/10.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from baro.cascade import queries, services
from baro.cascade.models import DeploymentForm, DirectiveReceipt
from baro.cascade.queries import ReceiptRow
from baro.testing.cascade import DEPLOY_DUE, PLAN_DUE, CascadeWorld, at

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _receipt(cw: CascadeWorld) -> DirectiveReceipt:
    [receipt] = services.directive_send(
        actor=cw.city_head, directive=cw.directive, units=[cw.dept_a]
    )
    assert (receipt.plan_due, receipt.deploy_due) == (PLAN_DUE, DEPLOY_DUE)
    return receipt


def _row(cw: CascadeWorld, day: dt.date) -> ReceiptRow:
    [row] = queries.cascade_overview(cw.city_head, cw.directive, day).rows
    return row


def _plan(cw: CascadeWorld, clock: Any, receipt: DirectiveReceipt, day: dt.date) -> None:
    clock.move_to(at(day))
    services.plan_issue(
        actor=cw.head,
        receipt=receipt,
        number_symbol="12/KH-SOA",
        issued_on=day,
        title="Kế hoạch thực hiện Chỉ thị 24-CT/TU",
    )


@pytest.mark.parametrize(
    ("issued_on", "state", "days", "label"),
    [
        (PLAN_DUE - DAY, "on_time", 0, "Đúng hạn (07/10/2025)"),
        (PLAN_DUE, "on_time", 0, "Đúng hạn (08/10/2025)"),
        (PLAN_DUE + DAY, "late", 1, "Trễ 1 ngày (09/10/2025)"),
    ],
)
def test_a_plan_issued_around_its_due_day(
    cw: CascadeWorld, clock: Any, issued_on: dt.date, state: str, days: int, label: str
) -> None:
    receipt = _receipt(cw)
    _plan(cw, clock, receipt, issued_on)
    plan = _row(cw, PLAN_DUE + 2 * DAY).plan
    assert (plan.state, plan.days, plan.days_late, plan.label) == (state, days, days, label)


@pytest.mark.parametrize(
    ("view_day", "state", "days", "days_late", "label"),
    [
        (PLAN_DUE - DAY, "pending", 1, 0, "Chưa ban hành, còn 1 ngày (hạn 08/10/2025)"),
        (PLAN_DUE, "pending", 0, 0, "Chưa ban hành, còn 0 ngày (hạn 08/10/2025)"),
        (PLAN_DUE + DAY, "overdue", 1, 1, "Chưa ban hành, quá hạn 1 ngày"),
    ],
)
def test_a_missing_plan_around_its_due_day(
    cw: CascadeWorld, view_day: dt.date, state: str, days: int, days_late: int, label: str
) -> None:
    _receipt(cw)
    row = _row(cw, view_day)
    assert (row.plan.state, row.plan.days, row.plan.days_late) == (state, days, days_late)
    assert row.plan.label == label
    assert row.days_late == days_late
    overdue = queries.cascade_overview(cw.city_head, cw.directive, view_day).plan_overdue
    assert [r.unit for r in overdue] == ([cw.dept_a] if state == "overdue" else [])


@pytest.mark.parametrize(
    ("deployed_on", "state", "days"),
    [(DEPLOY_DUE - DAY, "on_time", 0), (DEPLOY_DUE, "on_time", 0), (DEPLOY_DUE + DAY, "late", 1)],
)
def test_a_deployment_recorded_around_its_due_day(
    cw: CascadeWorld, clock: Any, deployed_on: dt.date, state: str, days: int
) -> None:
    receipt = _receipt(cw)
    _plan(cw, clock, receipt, PLAN_DUE)
    clock.move_to(at(deployed_on))
    services.deployment_record(
        actor=cw.head, receipt=receipt, deployed_on=deployed_on, form=DeploymentForm.CONFERENCE
    )
    deployment = _row(cw, DEPLOY_DUE + 2 * DAY).deployment
    assert (deployment.state, deployment.days, deployment.days_late) == (state, days, days)


@pytest.mark.parametrize(
    ("view_day", "state", "days_late"),
    [
        (DEPLOY_DUE - DAY, "pending", 0),
        (DEPLOY_DUE, "pending", 0),
        (DEPLOY_DUE + DAY, "overdue", 1),
    ],
)
def test_members_not_acknowledged_around_the_deployment_due_day(
    cw: CascadeWorld, clock: Any, view_day: dt.date, state: str, days_late: int
) -> None:
    receipt = _receipt(cw)
    _plan(cw, clock, receipt, PLAN_DUE)  # the plan is on time: only the deployment counts
    row = _row(cw, view_day)
    assert row.not_acknowledged  # Sở A's members have not acknowledged
    assert (row.deployment.state, row.deployment.days_late) == (state, days_late)
    assert row.ack_overdue_days == days_late
    assert row.days_late == days_late
