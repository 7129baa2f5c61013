"""The issuer's view: a directive sent to 30 units, some planning late, some members never
acknowledging; the overview shows exactly those, unit by unit down the tree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from baro.cascade import permissions, queries, services
from baro.cascade.models import DeploymentForm, DirectiveReceipt
from baro.core.errors import NotFoundError
from baro.org.models import Role, UnitKind
from baro.org.services import person_create, unit_create
from baro.testing.cascade import DEPLOY_DUE, PLAN_DUE, SENT, CascadeWorld, at, build_communes

pytestmark = pytest.mark.django_db

VIEW_DAY = dt.date(2025, 10, 20)  # 12 days after the plan due, 5 after the deployment due
ON_TIME = dt.date(2025, 10, 6)
LATE = dt.date(2025, 10, 10)  # 2 days after the plan due
DEPLOYED = dt.date(2025, 10, 14)
FORWARDED = dt.date(2025, 10, 2)


def test_thirty_units_the_issuer_sees_exactly_who_is_late(cw: CascadeWorld, clock: Any) -> None:
    communes = build_communes(cw, 30)
    first = communes[0]
    division = unit_create(
        actor=cw.admin,
        code="XA-00-VP",
        name="Văn phòng xã số 00",
        kind=UnitKind.DIVISION,
        parent=first.unit,
    )
    clerk = person_create(
        actor=cw.admin, unit=division, full_name="Văn thư xã 00", code="VT-00", role=Role.OFFICER
    )
    receipts = services.directive_send(
        actor=cw.city_head, directive=cw.directive, units=[c.unit for c in communes]
    )
    by_unit = {r.unit_id: r for r in receipts}

    def receipt(n: int) -> DirectiveReceipt:
        return by_unit[communes[n].unit.pk]

    clock.move_to(at(FORWARDED))
    [forwarded] = services.receipt_forward(actor=first.head, receipt=receipt(0), units=[division])

    # Communes 0–19 plan on time, 20–24 two days late, 25–29 never.
    clock.move_to(at(ON_TIME))
    for n in range(20):
        services.plan_issue(
            actor=communes[n].head,
            receipt=receipt(n),
            number_symbol=f"{n + 1}/KH-UBND",
            issued_on=ON_TIME,
            title="Kế hoạch thực hiện Chỉ thị 24-CT/TU",
        )
    clock.move_to(at(LATE))
    for n in range(20, 25):
        services.plan_issue(
            actor=communes[n].head,
            receipt=receipt(n),
            number_symbol=f"{n + 1}/KH-UBND",
            issued_on=LATE,
            title="Kế hoạch thực hiện Chỉ thị 24-CT/TU",
        )
    # Communes 0–14 deploy on time; every member of theirs acknowledges except officer B of
    # communes 3 and 7. Communes 15–19 acknowledge fully without a recorded deployment yet.
    clock.move_to(at(DEPLOYED))
    for n in range(15):
        services.deployment_record(
            actor=communes[n].head,
            receipt=receipt(n),
            deployed_on=DEPLOYED,
            form=DeploymentForm.CONFERENCE,
        )
    for n in range(20):
        for member in communes[n].members:
            if n in (3, 7) and member == communes[n].officers[1]:
                continue
            services.receipt_acknowledge(actor=member, receipt=receipt(n))

    clock.move_to(at(VIEW_DAY))
    overview = queries.cascade_overview(cw.city_head, cw.directive, VIEW_DAY)
    rows = {row.unit.code: row for row in overview.rows}
    code = {n: communes[n].unit.code for n in range(30)}

    # Unit by unit down the tree: Xã 00, then what it forwarded to, then Xã 01…
    assert [row.unit.code for row in overview.rows][:3] == ["XA-00", "XA-00-VP", "XA-01"]
    assert (rows["XA-00-VP"].level, rows["XA-00-VP"].receipt) == (1, forwarded)
    assert overview.unit_count == 31

    # The plans: late by 2 days for 20–24; missing and 12 days overdue for 25–29 and for the
    # division (its own dues count from the day it was forwarded: due 09/10, so 11 days).
    assert {r.unit.code: r.plan.days for r in overview.plan_late} == {
        code[n]: 2 for n in range(20, 25)
    }
    assert {r.unit.code: r.plan.days for r in overview.plan_overdue} == {
        **{code[n]: 12 for n in range(25, 30)},
        "XA-00-VP": (VIEW_DAY - forwarded.plan_due).days,
    }
    assert forwarded.plan_due == dt.date(2025, 10, 9)
    assert {r.unit.code for r in overview.plan_missing} == {
        *(code[n] for n in range(25, 30)),
        "XA-00-VP",
    }
    assert all(rows[code[n]].plan.state == "on_time" for n in range(20))
    assert rows[code[0]].plan.label == "Đúng hạn (06/10/2025)"
    assert rows[code[20]].plan.label == "Trễ 2 ngày (10/10/2025)"
    assert rows[code[25]].plan.label == "Chưa ban hành, quá hạn 12 ngày"

    # The deployments: 15–29 and the division not deployed, 5 days overdue (the division 4).
    assert {r.unit.code: r.deployment.days for r in overview.not_deployed} == {
        **{code[n]: 5 for n in range(15, 30)},
        "XA-00-VP": (VIEW_DAY - forwarded.deploy_due).days,
    }
    assert rows[code[15]].deployment.label == "Chưa triển khai, quá hạn 5 ngày"

    # The members who never acknowledged, exactly.
    missing = {
        r.unit.code: {p.full_name for p in r.not_acknowledged} for r in overview.with_unacknowledged
    }
    assert missing == {
        code[3]: {"Công chức B xã 03"},
        code[7]: {"Công chức B xã 07"},
        **{code[n]: {p.full_name for p in communes[n].members} for n in range(20, 30)},
        "XA-00-VP": {clerk.full_name},
    }
    assert rows[code[3]].ack_label == "2/3"
    assert rows[code[19]].ack_label == "3/3"
    assert (overview.acknowledged_count, overview.member_count) == (58, 91)

    # Days late per unit: the largest of plan, deployment and unacknowledged members.
    assert rows[code[0]].days_late == 0
    assert rows[code[3]].days_late == 5  # two members still not there, 5 days after the due
    assert rows[code[17]].days_late == 5  # plan on time, not deployed
    assert rows[code[22]].days_late == 5
    assert rows[code[27]].days_late == 12
    assert rows[code[0]].receipt.plan_due == PLAN_DUE
    assert rows[code[0]].receipt.deploy_due == DEPLOY_DUE

    # The filters of the page keep exactly the same sets.
    assert {r.unit.code for r in queries.filter_rows(overview.rows, "chua-ke-hoach")} == {
        r.unit.code for r in overview.plan_missing
    }
    assert {r.unit.code for r in queries.filter_rows(overview.rows, "chua-trien-khai")} == {
        *(code[n] for n in range(15, 30)),
        "XA-00-VP",
    }
    assert set(missing) == {
        r.unit.code for r in queries.filter_rows(overview.rows, "chua-quan-triet")
    }


def test_the_issuer_side_sees_everything_a_receiving_head_their_part(cw: CascadeWorld) -> None:
    receipt_a, _receipt_b = services.directive_send(
        actor=cw.city_head, directive=cw.directive, units=[cw.dept_a, cw.dept_b]
    )
    services.receipt_forward(actor=cw.head, receipt=receipt_a, units=[cw.div_a1])
    for who in ("city_head", "city_deputy", "secretary", "admin"):
        assert queries.cascade_overview(getattr(cw, who), cw.directive, SENT).unit_count == 3
        assert permissions.overview_scope(getattr(cw, who), cw.directive) is None
    # Sở A's head follows Sở A and what it forwarded; Sở B's head only Sở B.
    mine = queries.cascade_overview(cw.head, cw.directive, SENT)
    assert [row.unit for row in mine.rows] == [cw.dept_a, cw.div_a1]
    theirs = queries.cascade_overview(cw.head_b, cw.directive, SENT)
    assert [row.unit for row in theirs.rows] == [cw.dept_b]
    assert permissions.can_follow(cw.head, cw.directive)
    for who in ("officer", "outsider"):
        assert not permissions.can_follow(getattr(cw, who), cw.directive)
        with pytest.raises(NotFoundError):
            queries.cascade_overview(getattr(cw, who), cw.directive, SENT)


def test_pending_acknowledgements_of_a_member(cw: CascadeWorld) -> None:
    receipt_a, receipt_b = services.directive_send(
        actor=cw.city_head, directive=cw.directive, units=[cw.dept_a, cw.dept_b]
    )
    assert [r.receipt for r in queries.my_pending_acknowledgements(cw.delegate)] == [receipt_a]
    assert [r.receipt for r in queries.my_pending_acknowledgements(cw.head_b)] == [receipt_b]
    assert queries.my_pending_acknowledgements(cw.officer) == []
    services.receipt_acknowledge(actor=cw.delegate, receipt=receipt_a)
    assert queries.my_pending_acknowledgements(cw.delegate) == []
    assert [r.receipt for r in queries.receipts_to_handle(cw.head)] == [receipt_a]
    assert queries.receipts_to_handle(cw.delegate) == []


def test_the_overview_reads_in_a_fixed_number_of_queries(
    cw: CascadeWorld, django_assert_max_num_queries: Any
) -> None:
    communes = build_communes(cw, 6)
    services.directive_send(
        actor=cw.city_head, directive=cw.directive, units=[c.unit for c in communes]
    )
    with django_assert_max_num_queries(12):
        overview = queries.cascade_overview(cw.city_head, cw.directive, SENT)
        assert sum(len(row.members) for row in overview.rows) == 18
