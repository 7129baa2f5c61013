"""REST endpoints of a task's collaboration (/api/v1/work/tasks/{id}/inputs|guidance|
attachments|subtasks…).

Thin, like baro/org/api.py: find the task (request, file) as the caller may see it through its
`*_get_for_actor` (anything else is a 404 `not_found`, before any command runs), run one
command (run_command; DomainError becomes JSON `{code, message, field}` in baro.api), return
the row. attachment_add owns its transaction (it cleans its file up if the commit fails) and is
called directly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from baro.core.errors import DomainError, NotFoundError
from baro.core.inputs import (
    LONG_TEXT_MAX,
    MAX_DEADLINE_DAYS,
    MAX_ID,
    SHORT_TEXT_MAX,
    Day,
    max_length_of,
)
from baro.core.multipart import MULTIPART_FILE, multipart, uploaded_file
from baro.core.run import run_command
from baro.core.timeutil import today
from baro.org.api_auth import request_person
from baro.org.models import Unit
from baro.work import services, uploads
from baro.work.models import Attachment, DeadlineRule, GuidanceRequest, InputRequest, Task
from baro.work.permissions import (
    attachment_get_for_actor,
    guidance_request_get_for_actor,
    input_request_get_for_actor,
    task_get_for_actor,
)
from baro.work.queries.extras import is_late_answer, is_silent, subtask_rollup

router = Router(tags=["Nhiệm vụ: phối hợp, xin ý kiến, tệp, nhiệm vụ con"])


# --------------------------------------------------------------------------------------------
# schemas


class InputRequestIn(Schema):
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    question: str = Field("", max_length=LONG_TEXT_MAX)
    due_on: Day | None = None


class InputAnswerIn(Schema):
    position: str = Field("", max_length=SHORT_TEXT_MAX)
    answer: str = Field("", max_length=LONG_TEXT_MAX)


class NoteIn(Schema):
    note: str = Field("", max_length=LONG_TEXT_MAX)


class InputOut(Schema):
    id: int
    task_id: int
    unit_id: int
    question: str
    due_on: dt.date
    requested_by_id: int
    requested_at: dt.datetime
    repeat_of_id: int | None
    position: str
    answer: str
    answered_by_id: int | None
    answered_at: dt.datetime | None
    unclear: bool
    unclear_note: str
    silent: bool
    late: bool


class GuidanceRequestIn(Schema):
    question: str = Field("", max_length=LONG_TEXT_MAX)
    superior_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    due_on: Day | None = None


class GuidanceAnswerIn(Schema):
    answer: str = Field("", max_length=LONG_TEXT_MAX)
    within_unit_authority: bool = False


class GuidanceOut(Schema):
    id: int
    task_id: int
    asking_unit_id: int
    superior_unit_id: int
    question: str
    due_on: dt.date
    asked_by_id: int
    asked_at: dt.datetime
    repeat_of_id: int | None
    answer: str
    within_unit_authority: bool
    answered_by_id: int | None
    answered_at: dt.datetime | None
    overdue: bool
    late: bool


class AttachmentOut(Schema):
    id: int
    task_id: int | None
    progress_report_id: int | None
    guidance_request_id: int | None
    input_request_id: int | None
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by_id: int
    uploaded_at: dt.datetime


class SubtaskIn(Schema):
    title: str = Field("", max_length=max_length_of(Task, "title"))
    lead_unit_id: int = Field(..., ge=1, le=MAX_ID)
    deadline_rule: str = Field(DeadlineRule.DATE, max_length=SHORT_TEXT_MAX)
    deadline: Day | None = None
    deadline_days: int | None = Field(None, ge=1, le=MAX_DEADLINE_DAYS)
    description: str = Field("", max_length=LONG_TEXT_MAX)
    expected_output: str = Field("", max_length=LONG_TEXT_MAX)
    quality_criteria: str = Field("", max_length=LONG_TEXT_MAX)


class SubtaskOut(Schema):
    id: int
    title: str
    lead_unit_id: int
    assigning_unit_id: int
    status: str
    deadline: dt.date
    percent: int


class StatusCount(Schema):
    status: str
    label: str
    count: int


class RollupOut(Schema):
    total: int
    by_status: list[StatusCount]
    average_percent: int | None
    earliest_overdue_id: int | None
    overdue_count: int
    all_completed: bool


class SubtasksOut(Schema):
    items: list[SubtaskOut]
    rollup: RollupOut


# --------------------------------------------------------------------------------------------
# helpers


def _unit(unit_id: int | None, field: str) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None:
        raise DomainError("work.unit_unknown", _("Không tìm thấy đơn vị."), field=field)
    return unit


def _input_out(row: InputRequest, day: dt.date) -> dict[str, Any]:
    return {
        **{f: getattr(row, f) for f in InputOut.model_fields if hasattr(row, f)},
        "unclear": row.is_unclear,
        "silent": is_silent(row, day),
        "late": is_late_answer(row),
    }


def _guidance_out(row: GuidanceRequest, day: dt.date) -> dict[str, Any]:
    return {
        **{f: getattr(row, f) for f in GuidanceOut.model_fields if hasattr(row, f)},
        "overdue": row.answered_at is None and day > row.due_on,
        "late": is_late_answer(row),
    }


# --------------------------------------------------------------------------------------------
# coordinator inputs


@router.get("/tasks/{task_id}/inputs", response=list[InputOut], summary="Ý kiến đơn vị phối hợp")
def input_list(request: HttpRequest, task_id: int) -> list[dict[str, Any]]:
    task = task_get_for_actor(request_person(request), task_id)
    day = today()
    return [_input_out(r, day) for r in InputRequest.objects.filter(task=task)]


@router.post(
    "/tasks/{task_id}/inputs", response={201: InputOut}, summary="Xin ý kiến đơn vị phối hợp"
)
def input_create(request: HttpRequest, task_id: int, body: InputRequestIn) -> Any:
    person = request_person(request)
    task = task_get_for_actor(person, task_id)
    row = run_command(
        services.input_request,
        actor=person,
        task=task,
        unit=_unit(body.unit_id, "unit_id"),
        question=body.question,
        due_on=body.due_on,
    )
    return Status(201, _input_out(row, today()))


@router.post(
    "/tasks/{task_id}/inputs/{input_id}/answer", response=InputOut, summary="Trả lời xin ý kiến"
)
def input_answer(request: HttpRequest, task_id: int, input_id: int, body: InputAnswerIn) -> Any:
    person = request_person(request)
    row = run_command(
        services.input_answer,
        actor=person,
        input_request=input_request_get_for_actor(person, input_id, task_id=task_id),
        position=body.position,
        answer=body.answer,
    )
    return _input_out(row, today())


@router.post(
    "/tasks/{task_id}/inputs/{input_id}/unclear",
    response=InputOut,
    summary="Đánh dấu ý kiến chưa rõ quan điểm",
)
def input_unclear(request: HttpRequest, task_id: int, input_id: int, body: NoteIn) -> Any:
    person = request_person(request)
    row = run_command(
        services.input_mark_unclear,
        actor=person,
        input_request=input_request_get_for_actor(person, input_id, task_id=task_id),
        note=body.note,
    )
    return _input_out(row, today())


# --------------------------------------------------------------------------------------------
# guidance


@router.get("/tasks/{task_id}/guidance", response=list[GuidanceOut], summary="Xin ý kiến chỉ đạo")
def guidance_list(request: HttpRequest, task_id: int) -> list[dict[str, Any]]:
    task = task_get_for_actor(request_person(request), task_id)
    day = today()
    return [_guidance_out(r, day) for r in GuidanceRequest.objects.filter(task=task)]


@router.post(
    "/tasks/{task_id}/guidance", response={201: GuidanceOut}, summary="Gửi xin ý kiến chỉ đạo"
)
def guidance_create(request: HttpRequest, task_id: int, body: GuidanceRequestIn) -> Any:
    person = request_person(request)
    task = task_get_for_actor(person, task_id)
    superior = (
        _unit(body.superior_unit_id, "superior_unit_id")
        if body.superior_unit_id is not None
        else None
    )
    row = run_command(
        services.guidance_request,
        actor=person,
        task=task,
        question=body.question,
        superior_unit=superior,
        due_on=body.due_on,
    )
    return Status(201, _guidance_out(row, today()))


@router.post(
    "/tasks/{task_id}/guidance/{guidance_id}/answer",
    response=GuidanceOut,
    summary="Trả lời xin ý kiến chỉ đạo",
)
def guidance_answer(
    request: HttpRequest, task_id: int, guidance_id: int, body: GuidanceAnswerIn
) -> Any:
    person = request_person(request)
    row = run_command(
        services.guidance_answer,
        actor=person,
        guidance=guidance_request_get_for_actor(person, guidance_id, task_id=task_id),
        answer=body.answer,
        within_unit_authority=body.within_unit_authority,
    )
    return _guidance_out(row, today())


# --------------------------------------------------------------------------------------------
# attachments


@router.get("/tasks/{task_id}/attachments", response=list[AttachmentOut], summary="Tệp đính kèm")
def attachment_list(request: HttpRequest, task_id: int) -> Any:
    task = task_get_for_actor(request_person(request), task_id)
    return list(Attachment.objects.filter(task=task).order_by("pk"))


@router.post(
    "/tasks/{task_id}/attachments",
    response={201: AttachmentOut},
    summary="Đính kèm tệp (multipart, trường `file`)",
    openapi_extra=MULTIPART_FILE,
)
def attachment_create(request: HttpRequest, task_id: int) -> Any:
    person = request_person(request)
    task = task_get_for_actor(person, task_id)
    file = uploaded_file(multipart(request)[1])
    row = services.attachment_add(actor=person, task=task, name=file.name or "", content=file)
    return Status(201, row)


@router.get("/tasks/{task_id}/attachments/{attachment_id}", summary="Tải tệp đính kèm")
def attachment_download(request: HttpRequest, task_id: int, attachment_id: int) -> Any:
    row = attachment_get_for_actor(request_person(request), attachment_id, task_id=task_id)
    if not uploads.attachment_path(row).is_file():
        raise NotFoundError(_("Không tìm thấy tệp."))
    response = FileResponse(
        uploads.attachment_path(row).open("rb"),
        as_attachment=True,
        filename=row.original_name,
        content_type=row.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------------------------------
# subtasks


def _subtasks(task: Task) -> dict[str, Any]:
    rollup = subtask_rollup(task, today())
    return {
        "items": list(Task.objects.filter(parent=task).order_by("deadline", "pk")),
        "rollup": {
            "total": rollup.total,
            "by_status": [
                {"status": code, "label": label, "count": n} for code, label, n in rollup.by_status
            ],
            "average_percent": rollup.average_percent,
            "earliest_overdue_id": rollup.earliest_overdue.pk if rollup.earliest_overdue else None,
            "overdue_count": rollup.overdue_count,
            "all_completed": rollup.all_completed,
        },
    }


@router.get("/tasks/{task_id}/subtasks", response=SubtasksOut, summary="Nhiệm vụ con và tổng hợp")
def subtask_list(request: HttpRequest, task_id: int) -> dict[str, Any]:
    return _subtasks(task_get_for_actor(request_person(request), task_id))


@router.post("/tasks/{task_id}/subtasks", response={201: SubtaskOut}, summary="Giao nhiệm vụ con")
def subtask_create(request: HttpRequest, task_id: int, body: SubtaskIn) -> Any:
    person = request_person(request)
    parent = task_get_for_actor(person, task_id)
    sub = run_command(
        services.subtask_assign,
        actor=person,
        parent=parent,
        title=body.title,
        lead_unit=_unit(body.lead_unit_id, "lead_unit_id"),
        deadline_rule=body.deadline_rule,
        deadline=body.deadline,
        deadline_days=body.deadline_days,
        description=body.description,
        expected_output=body.expected_output,
        quality_criteria=body.quality_criteria,
    )
    return Status(201, sub)
