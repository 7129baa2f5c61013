"""Request and response bodies of the registry API (/api/v1/org/)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.contrib.auth import get_user_model
from ninja import Field, Schema

from baro.core.inputs import (
    LONG_TEXT_MAX,
    MAX_ID,
    SHORT_TEXT_MAX,
    Day,
    Moment,
    max_length_of,
)
from baro.org.models import ApiToken, Delegation, Person, Position, Unit, UnitSuccession


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    path: str
    depth: int
    mandate: str
    address: str
    valid_from: dt.date
    valid_to: dt.date | None


class UnitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UnitOut]


class UnitCreateIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=255)
    kind: str = Field(..., max_length=SHORT_TEXT_MAX)
    parent_id: int | None = Field(None, ge=1, le=MAX_ID)
    short_name: str = Field("", max_length=max_length_of(Unit, "short_name"))
    mandate: str = Field("", max_length=LONG_TEXT_MAX)
    address: str = Field("", max_length=max_length_of(Unit, "address"))
    valid_from: Day | None = None


class UnitUpdateIn(Schema):
    name: str | None = Field(None, max_length=max_length_of(Unit, "name"))
    short_name: str | None = Field(None, max_length=max_length_of(Unit, "short_name"))
    kind: str | None = Field(None, max_length=SHORT_TEXT_MAX)
    mandate: str | None = Field(None, max_length=LONG_TEXT_MAX)
    address: str | None = Field(None, max_length=max_length_of(Unit, "address"))


class UnitMoveIn(Schema):
    new_parent_id: int = Field(..., ge=1, le=MAX_ID)


class UnitCloseIn(Schema):
    on: Day
    successor_id: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str = Field("dissolved", max_length=SHORT_TEXT_MAX)
    decision_ref: str = Field("", max_length=max_length_of(UnitSuccession, "decision_ref"))
    note: str = Field("", max_length=LONG_TEXT_MAX)


class PersonOut(Schema):
    id: int
    code: str
    full_name: str
    email: str
    phone: str
    is_active: bool


class PersonPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


class PersonCreateIn(Schema):
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    full_name: str = Field(..., max_length=max_length_of(Person, "full_name"))
    code: str = Field(..., max_length=max_length_of(Person, "code"))
    email: str = Field("", max_length=max_length_of(Person, "email"))
    phone: str = Field("", max_length=max_length_of(Person, "phone"))
    username: str | None = Field(None, max_length=max_length_of(get_user_model(), "username"))
    password: str | None = Field(None, max_length=SHORT_TEXT_MAX)
    role: str | None = Field(None, max_length=SHORT_TEXT_MAX)
    title: str = Field("", max_length=max_length_of(Position, "title"))
    valid_from: Day | None = None


class PositionOut(Schema):
    id: int
    person_id: int
    unit_id: int
    role: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    decision_ref: str
    end_reason: str


class PersonRef(Schema):
    id: int
    code: str
    full_name: str


class StaffPositionOut(PositionOut):
    """A position held in a unit, with the person holding it."""

    person: PersonRef


class UnitStaffOut(Schema):
    """Who answers for a unit and who works in it, on a day (default today)."""

    unit_id: int
    on: dt.date
    head: StaffPositionOut | None = Field(..., description="Người đứng đầu; null nếu khuyết")
    positions: list[StaffPositionOut] = Field(..., description="Mọi chức vụ đang giữ, trưởng trước")


class PositionAppointIn(Schema):
    person_id: int = Field(..., ge=1, le=MAX_ID)
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    role: str = Field(..., max_length=SHORT_TEXT_MAX)
    title: str = Field("", max_length=max_length_of(Position, "title"))
    valid_from: Day | None = None
    decision_ref: str = Field("", max_length=max_length_of(Position, "decision_ref"))


class PositionEndIn(Schema):
    on: Day
    reason: str = Field(..., max_length=max_length_of(Position, "end_reason"))


class HeadReplaceIn(Schema):
    person_id: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field("", max_length=max_length_of(Position, "title"))
    on: Day | None = None
    decision_ref: str = Field("", max_length=max_length_of(Position, "decision_ref"))


class DelegationOut(Schema):
    id: int
    delegator_id: int
    delegate_id: int
    unit_id: int
    powers: list[Annotated[str, Field(max_length=SHORT_TEXT_MAX)]] = Field(..., max_length=100)
    valid_from: dt.datetime
    valid_to: dt.datetime
    reason: str
    decision_ref: str
    revoked_at: dt.datetime | None
    revoke_reason: str


class DelegationGrantIn(Schema):
    delegator_id: int | None = Field(None, ge=1, le=MAX_ID)  # default: the acting person
    delegate_id: int = Field(..., ge=1, le=MAX_ID)
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    powers: list[Annotated[str, Field(max_length=SHORT_TEXT_MAX)]] = Field(..., max_length=100)
    valid_from: Moment
    valid_to: Moment
    reason: str = Field(..., max_length=LONG_TEXT_MAX)
    decision_ref: str = Field("", max_length=max_length_of(Delegation, "decision_ref"))


class ReasonIn(Schema):
    reason: str = Field(..., max_length=max_length_of(Delegation, "revoke_reason"))


class ImportResultOut(Schema):
    filename: str
    sha256: str
    units_created: int
    persons_created: int
    positions_created: int
    unit_codes: list[str]
    person_codes: list[str]


class TokenIssueIn(Schema):
    name: str = Field(..., max_length=max_length_of(ApiToken, "name"))
    person_id: int | None = Field(None, ge=1, le=MAX_ID)  # default: the acting person
    expires_at: Moment | None = None


class TokenOut(Schema):
    id: int
    person_id: int
    name: str
    prefix: str
    expires_at: dt.datetime | None
    token: str = Field(..., description="Mã truy cập, chỉ hiển thị một lần.")
