"""Request and response bodies of the directives and tasks API (/api/v1/work/).

Request bodies carry ids of related rows (`lead_unit_id`, `officer_id`…); the endpoint turns
them into rows. Free-text fields default to "" so that a missing reason reaches the service and
comes back as its own stable code (`work.field_required`, with the field) rather than a generic
validation error.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field
from ninja import Schema as NinjaSchema
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator

from baro.core.inputs import (
    LONG_TEXT_MAX,
    MAX_DEADLINE_DAYS,
    MAX_ID,
    MAX_UNITS_PER_CALL,
    PERIOD_YEAR_MAX,
    PERIOD_YEAR_MIN,
    SHORT_TEXT_MAX,
    Day,
    max_length_of,
)
from baro.work.models import Directive, TaskGroup


class Schema(NinjaSchema):
    """ninja's Schema, validating a plain dict the way pydantic validates dicts.

    ninja wraps whatever it validates in a DjangoGetter, so that ORM objects, managers and
    `resolve_*` methods work. A dict (a parsed JSON body, or what a serialiser such as
    api.task_out built) gains nothing from it: the getter only looks its keys up one by one in
    Python, ~0.07 ms of a task created over HTTP (body and answer; bench/README.md, "Over
    HTTP"). A schema without resolvers has its dicts validated by pydantic directly: the same
    fields, coercions and errors (baro/work/tests/test_schemas.py checks it against ninja's
    path). Anything else (an object, a schema with resolvers) takes ninja's path unchanged.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if type(values) is dict and not cls._ninja_resolvers:
            return handler(values)
        return NinjaSchema._run_root_validator.__func__(cls, values, handler, info)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# references to other rows


class UnitRef(Schema):
    id: int
    code: str
    name: str


class PersonRef(Schema):
    id: int
    code: str
    full_name: str


class HeadRef(PersonRef):
    """The person answering for the lead unit, with the title of that position."""

    title: str


# --------------------------------------------------------------------------------------------
# directives


MAX_GROUPS = 200
GroupName = Annotated[str, Field(max_length=max_length_of(TaskGroup, "name"))]


class DirectiveIn(Schema):
    number_symbol: str = Field(..., max_length=80)
    kind: str = Field(..., max_length=max_length_of(Directive, "kind"))
    issuing_unit_id: int = Field(..., ge=1, le=MAX_ID)
    signed_on: Day
    title: str = Field(..., max_length=500)
    signer_id: int | None = Field(None, ge=1, le=MAX_ID)
    summary: str = Field("", max_length=LONG_TEXT_MAX)
    requires_cascade: bool = False
    plan_days: int | None = Field(
        None, description="Mặc định: BARO_CASCADE_PLAN_DAYS (7)", ge=1, le=MAX_DEADLINE_DAYS
    )
    deploy_days: int | None = Field(
        None, description="Mặc định: BARO_CASCADE_DEPLOY_DAYS (14)", ge=1, le=MAX_DEADLINE_DAYS
    )
    groups: list[GroupName] = Field(
        default_factory=list,
        max_length=MAX_GROUPS,
        description="Tên các nhóm nhiệm vụ, theo thứ tự",
    )


class TaskGroupOut(Schema):
    id: int
    name: str
    order: int
    task_ids: list[int]


class DirectiveOut(Schema):
    id: int
    number_symbol: str
    kind: str
    issuing_unit: UnitRef
    signer_id: int | None
    signed_on: dt.date
    title: str
    summary: str
    requires_cascade: bool
    plan_days: int
    deploy_days: int
    registered_by_id: int
    created_at: dt.datetime


class DirectiveDetailOut(DirectiveOut):
    groups: list[TaskGroupOut]
    task_ids: list[int] = Field(..., description="Mọi nhiệm vụ của văn bản, có nhóm hoặc không")


class DirectivePage(Schema):
    """One window of the directives (baro.core.paging's contract: count, limit, offset, items),
    its four fields written here so the page validates on this module's fast Schema."""

    count: int
    limit: int
    offset: int
    items: list[DirectiveOut]


# --------------------------------------------------------------------------------------------
# tasks


class CoordinatorIn(Schema):
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    part: str = Field("", max_length=LONG_TEXT_MAX)
    sub_deadline: Day | None = None


class TaskAssignIn(Schema):
    title: str = Field(..., max_length=500)
    lead_unit_id: int = Field(..., ge=1, le=MAX_ID)
    assigning_unit_id: int = Field(..., ge=1, le=MAX_ID)
    deadline_rule: str = Field(
        ...,
        max_length=SHORT_TEXT_MAX,
        description="date (với deadline), calendar_days / working_days (với deadline_days), "
        "period (với deadline_period_kind, _year, _number)",
    )
    deadline: Day | None = None
    deadline_days: int | None = Field(None, ge=1, le=MAX_DEADLINE_DAYS)
    deadline_period_kind: str = Field("", max_length=SHORT_TEXT_MAX)
    deadline_period_year: int | None = Field(None, ge=PERIOD_YEAR_MIN, le=PERIOD_YEAR_MAX)
    deadline_period_number: int | None = Field(None, ge=1, le=12)
    coordinators: list[CoordinatorIn] = Field(default_factory=list, max_length=MAX_UNITS_PER_CALL)
    officer_id: int | None = Field(None, ge=1, le=MAX_ID)
    directive_id: int | None = Field(None, ge=1, le=MAX_ID)
    group_id: int | None = Field(None, ge=1, le=MAX_ID)
    parent_id: int | None = Field(None, ge=1, le=MAX_ID)
    priority: str = Field("normal", max_length=SHORT_TEXT_MAX)
    is_new_difficult: bool = False
    is_innovation: bool = False
    expected_output: str = Field("", max_length=LONG_TEXT_MAX)
    quality_criteria: str = Field("", max_length=LONG_TEXT_MAX)
    description: str = Field("", max_length=LONG_TEXT_MAX)


class TaskOut(Schema):
    """A task as every endpoint returns it: lists, transitions, and the head of the detail."""

    id: int
    title: str
    status: str
    status_label: str
    timing: str = Field(..., description="Tình trạng theo hạn (rules.timing_status)")
    timing_label: str
    not_updated: bool = Field(..., description="Chưa cập nhật tiến độ (rules.not_updated)")
    next_commands: list[str] = Field(..., description="Lệnh trạng thái hiện tại cho phép")
    lead_unit: UnitRef
    assigning_unit_id: int
    assigner_id: int
    officer_id: int | None
    directive_id: int | None
    group_id: int | None
    parent_id: int | None
    priority: str
    is_new_difficult: bool
    is_innovation: bool
    assigned_on: dt.date
    deadline: dt.date
    deadline_rule: str
    deadline_days: int | None
    completed_on: dt.date | None
    percent: int
    last_progress_at: dt.datetime | None
    quality_grade: str
    effectiveness_grade: str
    extension_count: int
    bounce_count: int
    return_count: int


class TaskPage(Schema):
    """One window of a task list (baro.core.paging's contract, as DirectivePage)."""

    count: int
    limit: int
    offset: int
    items: list[TaskOut]


class CoordinatorOut(Schema):
    unit: UnitRef
    part: str
    sub_deadline: dt.date | None


class DirectiveRef(Schema):
    id: int
    number_symbol: str
    title: str


class ProgressReportOut(Schema):
    id: int
    author: PersonRef
    percent: int
    text: str
    blocker: str
    created_at: dt.datetime


class ExtensionOut(Schema):
    id: int
    task_id: int
    requested_by_id: int
    reason: str
    old_deadline: dt.date
    new_deadline: dt.date
    status: str
    requested_at: dt.datetime
    decided_by_id: int | None
    decided_at: dt.datetime | None
    decision_note: str


class DisputeOut(Schema):
    id: int
    task_id: int
    status: str
    refusing_unit: UnitRef
    refused_by_id: int
    proposed_unit: UnitRef
    reason: str
    decider_unit: UnitRef
    deadline: dt.date
    opened_at: dt.datetime
    decided_unit: UnitRef | None
    decision_reason: str
    decided_by_id: int | None
    decided_at: dt.datetime | None


class TaskDetailOut(TaskOut):
    """The task page's three clears: process, authority, record."""

    description: str
    expected_output: str
    quality_criteria: str
    my_commands: list[str] = Field(..., description="Lệnh người gọi được phép thực hiện lúc này")
    directive: DirectiveRef | None
    assigning_unit: UnitRef
    assigner: PersonRef
    officer: PersonRef | None
    accountable_head: HeadRef | None = Field(
        ..., description="Người đứng đầu đơn vị chủ trì, chịu trách nhiệm"
    )
    coordinators: list[CoordinatorOut]
    subtask_ids: list[int]
    progress_reports: list[ProgressReportOut]
    extensions: list[ExtensionOut]
    disputes: list[DisputeOut]


class TaskWithDisputeOut(TaskOut):
    """The task after a refusal or a dispute decision, with that dispute."""

    dispute: DisputeOut


class TaskWithExtensionOut(TaskOut):
    """The task after an extension request or decision, with that extension."""

    extension: ExtensionOut


# --------------------------------------------------------------------------------------------
# transition bodies


class RefuseIn(Schema):
    reason: str = Field("", max_length=LONG_TEXT_MAX)
    proposed_unit_id: int | None = Field(None, ge=1, le=MAX_ID)


class ProgressIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    text: str = Field("", max_length=LONG_TEXT_MAX)
    blocker: str = Field("", max_length=LONG_TEXT_MAX)


class NoteIn(Schema):
    note: str = Field("", max_length=LONG_TEXT_MAX)


class ApproveIn(Schema):
    quality_grade: str = Field(..., max_length=SHORT_TEXT_MAX)
    effectiveness_grade: str = Field(..., max_length=SHORT_TEXT_MAX)
    note: str = Field("", max_length=LONG_TEXT_MAX)


class ReasonIn(Schema):
    reason: str = Field("", max_length=LONG_TEXT_MAX)


class ExtensionRequestIn(Schema):
    new_deadline: Day
    reason: str = Field("", max_length=LONG_TEXT_MAX)


class ExtensionDecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=LONG_TEXT_MAX)


class DisputeDecideIn(Schema):
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    reason: str = Field("", max_length=LONG_TEXT_MAX)
