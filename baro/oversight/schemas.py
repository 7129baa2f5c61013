"""Request and response bodies of the oversight API (/api/v1/oversight/).

Free-text fields default to "" so that a missing value reaches the service and comes back as
its own stable code (`oversight.field_required`, with the field) rather than a generic
validation error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from baro.core.inputs import (
    LONG_TEXT_MAX,
    MAX_ID,
    MAX_IDS_PER_CALL,
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


# --------------------------------------------------------------------------------------------
# flags


class FlagOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str = Field(..., description="open, confirmed hoặc dismissed")
    status_label: str
    unit: UnitRef
    person: PersonRef | None
    task_id: int | None
    summary: str
    figures: dict[str, Any]
    raised_at: dt.datetime
    decided_by: PersonRef | None
    decided_at: dt.datetime | None
    decision_reason: str


class FlagEvidenceOut(Schema):
    id: int
    task_id: int | None
    task_title: str | None
    event_id: int | None
    event_seq: int | None
    event_action: str | None
    event_occurred_at: dt.datetime | None
    note: str


class FlagDetailOut(FlagOut):
    evidence: list[FlagEvidenceOut]
    may_decide: bool = Field(..., description="Người gọi được xác nhận hay bác bỏ không")


class FlagPage(Page[FlagOut]):
    """One window of the flags the caller may read, and their counts by status."""

    status_counts: dict[str, int] = Field(
        ..., description="Số dấu hiệu theo trạng thái, với các bộ lọc khác"
    )


class ReasonIn(Schema):
    reason: str = Field(
        "", description="Lý do xác nhận hay bác bỏ (bắt buộc)", max_length=LONG_TEXT_MAX
    )


# --------------------------------------------------------------------------------------------
# inspections


class InspectionIn(Schema):
    target_unit_id: int = Field(..., ge=1, le=MAX_ID)
    target_person_id: int | None = Field(None, ge=1, le=MAX_ID)
    title: str = Field("", max_length=300)
    period_from: Day
    period_to: Day


class InspectionOut(Schema):
    id: int
    title: str
    status: str = Field(..., description="planned hoặc concluded")
    inspecting_unit: UnitRef
    target_unit: UnitRef
    target_person: PersonRef | None
    period_from: dt.date
    period_to: dt.date
    findings: str
    conclusion: str
    created_at: dt.datetime
    concluded_at: dt.datetime | None


class InspectionEvidenceOut(Schema):
    id: int
    flag_id: int | None
    task_id: int | None
    note: str
    added_by_id: int
    added_at: dt.datetime


class HandlingOut(Schema):
    id: int
    inspection_id: int
    measure: str
    measure_label: str
    unit: UnitRef
    person: PersonRef | None
    document_number: str
    document_date: dt.date
    reason: str
    decided_by_id: int
    decided_at: dt.datetime


class InspectionDetailOut(InspectionOut):
    evidence: list[InspectionEvidenceOut]
    handlings: list[HandlingOut]


class InspectionPage(Page[InspectionOut]):
    """One window of the inspections the caller may read (`count`: all of them)."""


class EvidenceIn(Schema):
    flag_id: int | None = Field(None, description="Một dấu hiệu, hoặc…", ge=1, le=MAX_ID)
    task_id: int | None = Field(None, description="…một nhiệm vụ", ge=1, le=MAX_ID)
    note: str = Field("", max_length=300)


class FindingsIn(Schema):
    findings: str = Field("", max_length=LONG_TEXT_MAX)


class ConclusionIn(Schema):
    conclusion: str = Field("", max_length=LONG_TEXT_MAX)


class HandlingIn(Schema):
    measure: str = Field(
        "",
        max_length=SHORT_TEXT_MAX,
        description="reminder, criticism, reprimand, warning, dismissal hoặc transfer",
    )
    document_number: str = Field("", max_length=80)
    document_date: Day | None = None
    reason: str = Field("", max_length=LONG_TEXT_MAX)
    person_id: int | None = Field(
        None, description="Mặc định: cán bộ được kiểm tra", ge=1, le=MAX_ID
    )
    unit_id: int | None = Field(None, description="Mặc định: đơn vị được kiểm tra", ge=1, le=MAX_ID)


# --------------------------------------------------------------------------------------------
# urgings and letters


class UrgingOut(Schema):
    id: int
    task_id: int
    deadline: dt.date
    step: str
    step_label: str
    target_unit: UnitRef
    target_person: PersonRef | None
    urged_by_id: int
    note: str
    letter_id: int | None
    created_at: dt.datetime


class UrgeIn(Schema):
    note: str = Field("", description="Nội dung đôn đốc (bắt buộc)", max_length=LONG_TEXT_MAX)


class LetterIn(Schema):
    issuing_unit_id: int = Field(..., ge=1, le=MAX_ID)
    task_ids: list[Id] = Field(default_factory=list, max_length=MAX_IDS_PER_CALL)
    number_symbol: str = Field("", max_length=80)
    place: str = Field("", max_length=80)
    issued_on: Day
    subject: str = Field("", max_length=300)
    opening: str = Field("", max_length=LONG_TEXT_MAX)
    closing: str = Field("", max_length=LONG_TEXT_MAX)
    reply_by: Day
    signer_id: int | None = Field(None, description="Mặc định: người gọi", ge=1, le=MAX_ID)
    signer_mark: str = Field("", max_length=80, description="TM., KT., TL. và chức danh")
    signer_position: str = Field("", max_length=120)
    recipients: str = Field("", max_length=LONG_TEXT_MAX)


class LetterOut(Schema):
    id: int
    issuing_unit: UnitRef
    number_symbol: str
    place: str
    issued_on: dt.date
    subject: str
    opening: str
    closing: str
    reply_by: dt.date
    signer: PersonRef
    signer_mark: str
    signer_position: str
    recipients: str
    created_at: dt.datetime
    urgings: list[UrgingOut]


# --------------------------------------------------------------------------------------------
# the ladder


#: The ladder's steps are counted in days: at most a year each.
LADDER_DAYS_MAX = 365


class LadderIn(Schema):
    remind_days_before: int = Field(..., ge=0, le=LADDER_DAYS_MAX)
    escalate_head_after: int = Field(..., ge=0, le=LADDER_DAYS_MAX)
    escalate_assigner_head_after: int = Field(..., ge=0, le=LADDER_DAYS_MAX)
    inspection_flag_after: int = Field(..., ge=0, le=LADDER_DAYS_MAX)


class LadderOut(Schema):
    scope: str = Field(..., description="installation hoặc directive:<id>")
    directive_id: int | None
    configured: bool = Field(..., description="false: đang dùng thang chung hoặc mặc định")
    remind_days_before: int
    escalate_head_after: int
    escalate_assigner_head_after: int
    inspection_flag_after: int
    updated_at: dt.datetime | None
