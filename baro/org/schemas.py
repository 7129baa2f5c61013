"""Request and response bodies of the registry API (/api/v1/org/)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


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
    kind: str
    parent_id: int | None = None
    short_name: str = ""
    mandate: str = ""
    address: str = ""
    valid_from: dt.date | None = None


class UnitUpdateIn(Schema):
    name: str | None = None
    short_name: str | None = None
    kind: str | None = None
    mandate: str | None = None
    address: str | None = None


class UnitMoveIn(Schema):
    new_parent_id: int


class UnitCloseIn(Schema):
    on: dt.date
    successor_id: int | None = None
    kind: str = "dissolved"
    decision_ref: str = ""
    note: str = ""


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
    unit_id: int
    full_name: str
    code: str
    email: str = ""
    phone: str = ""
    username: str | None = None
    password: str | None = None
    role: str | None = None
    title: str = ""
    valid_from: dt.date | None = None


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


class PositionAppointIn(Schema):
    person_id: int
    unit_id: int
    role: str
    title: str = ""
    valid_from: dt.date | None = None
    decision_ref: str = ""


class PositionEndIn(Schema):
    on: dt.date
    reason: str


class HeadReplaceIn(Schema):
    person_id: int
    title: str = ""
    on: dt.date | None = None
    decision_ref: str = ""


class DelegationOut(Schema):
    id: int
    delegator_id: int
    delegate_id: int
    unit_id: int
    powers: list[str]
    valid_from: dt.datetime
    valid_to: dt.datetime
    reason: str
    decision_ref: str
    revoked_at: dt.datetime | None
    revoke_reason: str


class DelegationGrantIn(Schema):
    delegator_id: int | None = None  # default: the acting person
    delegate_id: int
    unit_id: int
    powers: list[str]
    valid_from: dt.datetime
    valid_to: dt.datetime
    reason: str
    decision_ref: str = ""


class ReasonIn(Schema):
    reason: str


class ImportResultOut(Schema):
    filename: str
    sha256: str
    units_created: int
    persons_created: int
    positions_created: int
    unit_codes: list[str]
    person_codes: list[str]


class TokenIssueIn(Schema):
    name: str
    person_id: int | None = None  # default: the acting person
    expires_at: dt.datetime | None = None


class TokenOut(Schema):
    id: int
    person_id: int
    name: str
    prefix: str
    expires_at: dt.datetime | None
    token: str = Field(..., description="Mã truy cập, chỉ hiển thị một lần.")
