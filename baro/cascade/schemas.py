"""Request and response bodies of the cascade API (/api/v1/cascade/).

Free-text fields default to "" so that a missing value reaches the service and comes back as
its own stable code (`cascade.field_required`, with the field) rather than a generic
validation error.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from baro.core.inputs import (
    LONG_TEXT_MAX,
    MAX_UNITS_PER_CALL,
    SHORT_TEXT_MAX,
    Day,
    Id,
)
from baro.core.paging import Page


class UnitRef(Schema):
    id: int
    code: str
    name: str


class PersonRef(Schema):
    id: int
    code: str
    full_name: str


class SendIn(Schema):
    unit_ids: list[Id] = Field(
        ..., description="Các đơn vị nhận văn bản", max_length=MAX_UNITS_PER_CALL
    )
    sent_on: Day | None = Field(None, description="Ngày gửi; mặc định hôm nay")


class PlanIn(Schema):
    number_symbol: str = Field("", max_length=80, description="Số, ký hiệu kế hoạch")
    issued_on: Day
    title: str = Field("", max_length=500, description="Trích yếu kế hoạch")


class DeploymentIn(Schema):
    deployed_on: Day
    form: str = Field(..., description="conference, online hoặc meeting", max_length=SHORT_TEXT_MAX)
    note: str = Field("", max_length=LONG_TEXT_MAX)


class ReceiptOut(Schema):
    id: int
    directive_id: int
    unit: UnitRef
    parent_id: int | None
    sent_on: dt.date
    plan_due: dt.date
    deploy_due: dt.date
    plan_number_symbol: str
    plan_title: str
    plan_issued_on: dt.date | None
    deployed_on: dt.date | None
    deployment_form: str
    deployment_note: str
    member_count: int | None


class ReceiptPage(Page[ReceiptOut]):
    """One window of the receipts I have to acknowledge."""


class AcknowledgementOut(Schema):
    receipt_id: int
    person: PersonRef
    acknowledged_at: dt.datetime


class StageOut(Schema):
    state: str = Field(..., description="on_time, late, pending hoặc overdue")
    due: dt.date
    done_on: dt.date | None
    days: int = Field(..., description="Số ngày trễ, quá hạn, hoặc còn lại (pending)")
    label: str


class OverviewRowOut(Schema):
    receipt_id: int
    parent_id: int | None
    level: int
    unit: UnitRef
    sent_on: dt.date
    plan: StageOut
    deployment: StageOut
    member_total: int
    acknowledged_total: int
    not_acknowledged: list[PersonRef]
    days_late: int


class OverviewOut(Schema):
    directive_id: int
    number_symbol: str
    today: dt.date
    unit_count: int
    plan_missing: int
    plan_late: int
    not_deployed: int
    units_with_unacknowledged: int
    rows: list[OverviewRowOut]
