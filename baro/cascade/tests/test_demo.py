"""The demo's cascade story, told through the services only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from baro.cascade import queries
from baro.demo.story.cascade import cascade_demo
from baro.ledger.models import LedgerEvent
from baro.org.models import Role, UnitKind
from baro.org.services import person_create, unit_create
from baro.testing.cascade import SENT, CascadeWorld, at, build_communes

pytestmark = pytest.mark.django_db


def test_the_demo_story_has_every_kind_of_unit(cw: CascadeWorld, clock: Any) -> None:
    communes = build_communes(cw, 12)
    office = unit_create(
        actor=cw.admin,
        code="XA-00-VP",
        name="Văn phòng",
        kind=UnitKind.DIVISION,
        parent=communes[0].unit,
    )
    person_create(actor=cw.admin, unit=office, full_name="Trưởng VP", code="TVP", role=Role.HEAD)
    clock.move_to(at(SENT + dt.timedelta(days=25)))
    receipts = cascade_demo(
        directive=cw.directive,
        sender=cw.city_head,
        units=[c.unit for c in communes],
        sent_on=SENT,
    )
    assert len(receipts) == 13
    overview = queries.cascade_overview(cw.city_head, cw.directive)
    states = {row.unit.code: (row.plan.state, row.deployment.state) for row in overview.rows}
    assert states["XA-00"] == ("on_time", "on_time")
    assert states["XA-03"] == ("late", "late")
    assert states["XA-04"] == ("on_time", "overdue")
    assert states["XA-05"] == ("overdue", "overdue")
    assert states["XA-00-VP"] == ("on_time", "on_time")
    unacknowledged = {row.unit.code for row in overview.with_unacknowledged}
    assert {"XA-01", "XA-03", "XA-04", "XA-05"} <= unacknowledged
    assert "XA-00" not in unacknowledged and "XA-02" not in unacknowledged
    assert LedgerEvent.objects.filter(action="cascade.directive.sent").count() == 1
    assert LedgerEvent.objects.filter(action="cascade.receipt.forwarded").count() == 1
