"""REST endpoints of directives and tasks (/api/v1/work/).

Thin, like baro.org.api: parse, find the rows the acting person may see (anything else is a 404
`not_found`), run one command (baro.core.run.run_command: the transaction begins here),
serialise. Services raise DomainError, which baro.api turns into JSON `{code, message, field?}`.
A command refused because of the task's current state (`work.wrong_state` and the other state
codes below) answers 409 with the service's code.

Who sees a task: its assigner and its officer, and whoever holds a position (or a current
delegation) in an ancestor-or-self of its lead, assigning or coordinating units, or of a unit a
refusal proposed (baro.work.permissions). Everyone else gets 404 for it, whatever the
command: the task (dispute, extension) is fetched through its `*_get_for_actor` before any
command runs, so nothing about it, not even its state, reaches who may not see it.

One serialiser (`task_out`) serves the list, the transitions and the head of the detail, and
reads only the task row and its lead unit, so a transition costs no query beyond the service's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from baro.core.errors import NotFoundError, state_conflicts
from baro.core.inputs import (
    SHORT_TEXT_MAX,
)
from baro.core.paging import PageQuery, page
from baro.core.run import run_command
from baro.core.sql import row_by
from baro.core.timeutil import today
from baro.org.api_auth import request_person
from baro.org.models import Person, Unit
from baro.org.queries import unit_head
from baro.work import permissions, rules, services
from baro.work.models import (
    Directive,
    Dispute,
    DisputeStatus,
    Extension,
    ProgressReport,
    Task,
    TaskCoordinator,
    TaskGroup,
    TaskStatus,
)
from baro.work.permissions import (
    directive_get_for_actor,
    dispute_get_for_actor,
    extension_get_for_actor,
    task_get_for_actor,
)
from baro.work.queries import lists
from baro.work.queries.detail import DISPUTE_UNITS
from baro.work.queries.lists import Scope
from baro.work.rules import TimingStatus
from baro.work.schemas import (
    ApproveIn,
    DirectiveDetailOut,
    DirectiveIn,
    DirectiveOut,
    DirectivePage,
    DisputeDecideIn,
    DisputeOut,
    ExtensionDecideIn,
    ExtensionRequestIn,
    NoteIn,
    ProgressIn,
    ReasonIn,
    RefuseIn,
    TaskAssignIn,
    TaskDetailOut,
    TaskOut,
    TaskPage,
    TaskWithDisputeOut,
    TaskWithExtensionOut,
)

router = Router(tags=["Nhiệm vụ"])

# Refusals that depend on the state of the task, dispute or extension rather than on the input:
# HTTP calls them conflicts (409). The services raise them as DomainError (400), the code the
# web pages and tests match on; only the status changes here, never the code or the message.
STATE_CONFLICT_CODES = frozenset(
    {"work.wrong_state", "work.dispute_closed", "work.extension_closed", "work.parent_closed"}
)


T = TypeVar("T")


def _run(command: Callable[..., T], /, **arguments: Any) -> T:
    """Run one command in its own transaction (run_command); a refusal because of the current
    state becomes 409, every other DomainError passes through."""
    with state_conflicts(STATE_CONFLICT_CODES):
        return run_command(command, **arguments)


# --------------------------------------------------------------------------------------------
# serialisation


def _unit_ref(unit: Unit) -> dict[str, Any]:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def _person_ref(person: Person) -> dict[str, Any]:
    return {"id": person.pk, "code": person.code, "full_name": person.full_name}


def task_out(task: Task, day: dt.date) -> dict[str, Any]:
    """The task's own row, its lead unit and its three clears; no query beyond the lead unit.

    A list may annotate `timing` and `is_not_updated` (computed in SQL from the same rules);
    otherwise both come from baro.work.rules.
    """
    timing = getattr(task, "timing", None) or rules.timing_status(task, day)
    not_updated = getattr(task, "is_not_updated", None)
    if not_updated is None:
        not_updated = rules.not_updated(task, day)
    return {
        "id": task.pk,
        "title": task.title,
        "status": task.status,
        "status_label": str(TaskStatus(task.status).label),
        "timing": str(timing),
        "timing_label": str(TimingStatus(timing).label),
        "not_updated": bool(not_updated),
        "next_commands": sorted(rules.allowed_commands(task.status)),
        "lead_unit": _unit_ref(task.lead_unit),
        "assigning_unit_id": task.assigning_unit_id,
        "assigner_id": task.assigner_id,
        "officer_id": task.officer_id,
        "directive_id": task.directive_id,
        "group_id": task.group_id,
        "parent_id": task.parent_id,
        "priority": task.priority,
        "is_new_difficult": task.is_new_difficult,
        "is_innovation": task.is_innovation,
        "assigned_on": task.assigned_on,
        "deadline": task.deadline,
        "deadline_rule": task.deadline_rule,
        "deadline_days": task.deadline_days,
        "completed_on": task.completed_on,
        "percent": task.percent,
        "last_progress_at": task.last_progress_at,
        "quality_grade": task.quality_grade,
        "effectiveness_grade": task.effectiveness_grade,
        "extension_count": task.extension_count,
        "bounce_count": task.bounce_count,
        "return_count": task.return_count,
    }


def _extension_out(extension: Extension) -> dict[str, Any]:
    return {
        "id": extension.pk,
        "task_id": extension.task_id,
        "requested_by_id": extension.requested_by_id,
        "reason": extension.reason,
        "old_deadline": extension.old_deadline,
        "new_deadline": extension.new_deadline,
        "status": extension.status,
        "requested_at": extension.requested_at,
        "decided_by_id": extension.decided_by_id,
        "decided_at": extension.decided_at,
        "decision_note": extension.decision_note,
    }


def _dispute_out(dispute: Dispute) -> dict[str, Any]:
    return {
        "id": dispute.pk,
        "task_id": dispute.task_id,
        "status": dispute.status,
        "refusing_unit": _unit_ref(dispute.refusing_unit),
        "refused_by_id": dispute.refused_by_id,
        "proposed_unit": _unit_ref(dispute.proposed_unit),
        "reason": dispute.reason,
        "decider_unit": _unit_ref(dispute.decider_unit),
        "deadline": dispute.deadline,
        "opened_at": dispute.opened_at,
        "decided_unit": _unit_ref(dispute.decided_unit) if dispute.decided_unit else None,
        "decision_reason": dispute.decision_reason,
        "decided_by_id": dispute.decided_by_id,
        "decided_at": dispute.decided_at,
    }


def _directive_out(directive: Directive) -> dict[str, Any]:
    return {
        "id": directive.pk,
        "number_symbol": directive.number_symbol,
        "kind": directive.kind,
        "issuing_unit": _unit_ref(directive.issuing_unit),
        "signer_id": directive.signer_id,
        "signed_on": directive.signed_on,
        "title": directive.title,
        "summary": directive.summary,
        "requires_cascade": directive.requires_cascade,
        "plan_days": directive.plan_days,
        "deploy_days": directive.deploy_days,
        "registered_by_id": directive.registered_by_id,
        "created_at": directive.created_at,
    }


# --------------------------------------------------------------------------------------------
# what the actor may see


def _unit(unit_id: int) -> Unit:
    try:
        return row_by(Unit, "pk", unit_id)
    except Unit.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy đơn vị.")) from exc


def _person(person_id: int) -> Person:
    try:
        person = row_by(Person, "pk", person_id)
    except Person.DoesNotExist:
        person = None
    if person is None or person.is_system:
        raise NotFoundError(_("Không tìm thấy cán bộ."))
    return person


def _my_commands(actor: Person, task: Task) -> list[str]:
    """The commands `actor` may give the task now (the services' own checks)."""
    return permissions.my_commands(actor, task)


# --------------------------------------------------------------------------------------------
# directives


class DirectiveListQuery(PageQuery):
    q: str = Field("", max_length=SHORT_TEXT_MAX)


@router.get("/directives", response=DirectivePage, summary="Danh sách văn bản chỉ đạo")
def directive_list(request: HttpRequest, filters: Query[DirectiveListQuery]) -> dict[str, Any]:
    qs = permissions.directives_visible_to(request_person(request))
    text = filters.q.strip()
    if text:
        qs = qs.filter(Q(number_symbol__icontains=text) | Q(title__icontains=text))
    return page(qs, filters, _directive_out)


@router.post("/directives", response={201: DirectiveOut}, summary="Vào sổ văn bản chỉ đạo")
def directive_register(request: HttpRequest, body: DirectiveIn) -> Any:
    actor = request_person(request)
    directive = _run(
        services.directive_register,
        actor=actor,
        number_symbol=body.number_symbol,
        kind=body.kind,
        issuing_unit=_unit(body.issuing_unit_id),
        signed_on=body.signed_on,
        title=body.title,
        signer=_person(body.signer_id) if body.signer_id is not None else None,
        summary=body.summary,
        requires_cascade=body.requires_cascade,
        plan_days=body.plan_days,
        deploy_days=body.deploy_days,
        groups=body.groups,
    )
    return Status(201, _directive_out(directive))


@router.get(
    "/directives/{directive_id}", response=DirectiveDetailOut, summary="Một văn bản chỉ đạo"
)
def directive_detail(request: HttpRequest, directive_id: int) -> dict[str, Any]:
    directive = directive_get_for_actor(request_person(request), directive_id)
    by_group: dict[int | None, list[int]] = {}
    for task_id, group_id in Task.objects.filter(directive=directive).values_list("pk", "group_id"):
        by_group.setdefault(group_id, []).append(task_id)
    groups = [
        {"id": g.pk, "name": g.name, "order": g.order, "task_ids": by_group.get(g.pk, [])}
        for g in TaskGroup.objects.filter(directive=directive)
    ]
    return {
        **_directive_out(directive),
        "groups": groups,
        "task_ids": sorted(pk for ids in by_group.values() for pk in ids),
    }


# --------------------------------------------------------------------------------------------
# tasks


class TaskListQuery(PageQuery):
    """Documents the list's parameters; they are parsed by lists.parse_filters, the same parser
    the list pages use, so the API and the pages accept exactly the same values."""

    scope: str = Field(
        Scope.MINE,
        max_length=SHORT_TEXT_MAX,
        description="mine | unit | assigned | under (mọi đơn vị cấp dưới)",
    )
    timing: str = Field(
        "",
        max_length=SHORT_TEXT_MAX,
        description="in_progress_on_time | in_progress_overdue | completed_on_time | "
        "completed_late | cancelled",
    )
    not_updated: str = Field(
        "", description="1: chỉ nhiệm vụ chưa cập nhật tiến độ", max_length=SHORT_TEXT_MAX
    )
    status: str = Field("", max_length=SHORT_TEXT_MAX)
    directive: str = Field("", description="id văn bản chỉ đạo", max_length=SHORT_TEXT_MAX)
    unit: str = Field("", description="id đơn vị chủ trì (cả cấp dưới)", max_length=SHORT_TEXT_MAX)
    officer: str = Field("", description="id cán bộ xử lý", max_length=SHORT_TEXT_MAX)
    deadline_from: str = Field(
        "", description="yyyy-mm-dd hoặc dd/mm/yyyy", max_length=SHORT_TEXT_MAX
    )
    deadline_to: str = Field(
        "", description="yyyy-mm-dd hoặc dd/mm/yyyy", max_length=SHORT_TEXT_MAX
    )
    q: str = Field(
        "", description="Từ khóa (không phân biệt hoa thường, dấu)", max_length=SHORT_TEXT_MAX
    )


@router.get("/tasks", response=TaskPage, summary="Danh sách nhiệm vụ")
def task_list(request: HttpRequest, params: Query[TaskListQuery]) -> dict[str, Any]:
    actor = request_person(request)
    day = today()
    filters = lists.parse_filters(request.GET)
    tasks = lists.task_list(actor, scope=params.scope, filters=filters, today=day)
    return page(tasks, params, lambda task: task_out(task, day))


@router.post("/tasks", response={201: TaskOut}, summary="Giao nhiệm vụ")
def task_assign(request: HttpRequest, body: TaskAssignIn) -> Any:
    actor = request_person(request)
    directive = (
        directive_get_for_actor(actor, body.directive_id) if body.directive_id is not None else None
    )
    group = None
    if body.group_id is not None:
        group = TaskGroup.objects.filter(pk=body.group_id).first()
        if group is None:
            raise NotFoundError(_("Không tìm thấy nhóm nhiệm vụ."))
    task = _run(
        services.task_assign,
        actor=actor,
        title=body.title,
        lead_unit=_unit(body.lead_unit_id),
        assigning_unit=_unit(body.assigning_unit_id),
        deadline_rule=body.deadline_rule,
        deadline=body.deadline,
        deadline_days=body.deadline_days,
        deadline_period_kind=body.deadline_period_kind,
        deadline_period_year=body.deadline_period_year,
        deadline_period_number=body.deadline_period_number,
        directive=directive,
        group=group,
        parent=task_get_for_actor(actor, body.parent_id) if body.parent_id is not None else None,
        coordinators=[
            services.CoordinatorSpec(_unit(c.unit_id), c.part, c.sub_deadline)
            for c in body.coordinators
        ],
        officer=_person(body.officer_id) if body.officer_id is not None else None,
        description=body.description,
        expected_output=body.expected_output,
        quality_criteria=body.quality_criteria,
        priority=body.priority,
        is_new_difficult=body.is_new_difficult,
        is_innovation=body.is_innovation,
    )
    return Status(201, task_out(task, today()))


@router.get("/tasks/{task_id}", response=TaskDetailOut, summary="Một nhiệm vụ (3 rõ)")
def task_detail(request: HttpRequest, task_id: int) -> dict[str, Any]:
    actor = request_person(request)
    task = task_get_for_actor(actor, task_id, related=("assigner", "officer", "directive"))
    head = unit_head(task.lead_unit)
    directive = task.directive
    return {
        **task_out(task, today()),
        "description": task.description,
        "expected_output": task.expected_output,
        "quality_criteria": task.quality_criteria,
        "my_commands": _my_commands(actor, task),
        "directive": (
            {"id": directive.pk, "number_symbol": directive.number_symbol, "title": directive.title}
            if directive is not None
            else None
        ),
        "assigning_unit": _unit_ref(task.assigning_unit),
        "assigner": _person_ref(task.assigner),
        "officer": _person_ref(task.officer) if task.officer is not None else None,
        "accountable_head": (
            {**_person_ref(head.person), "title": head.title} if head is not None else None
        ),
        "coordinators": [
            {"unit": _unit_ref(c.unit), "part": c.part, "sub_deadline": c.sub_deadline}
            for c in TaskCoordinator.objects.filter(task=task).select_related("unit")
        ],
        "subtask_ids": list(Task.objects.filter(parent=task).values_list("pk", flat=True)),
        "progress_reports": [
            {
                "id": r.pk,
                "author": _person_ref(r.author),
                "percent": r.percent,
                "text": r.text,
                "blocker": r.blocker,
                "created_at": r.created_at,
            }
            for r in ProgressReport.objects.filter(task=task).select_related("author")
        ],
        "extensions": [_extension_out(e) for e in Extension.objects.filter(task=task)],
        "disputes": [
            _dispute_out(d)
            for d in Dispute.objects.filter(task=task).select_related(*DISPUTE_UNITS)
        ],
    }


# --- the lead side ---------------------------------------------------------------------------


@router.post("/tasks/{task_id}/accept", response=TaskOut, summary="Tiếp nhận nhiệm vụ")
def task_accept(request: HttpRequest, task_id: int) -> dict[str, Any]:
    actor = request_person(request)
    task = task_get_for_actor(actor, task_id)
    task = _run(services.task_accept, actor=actor, task=task)
    return task_out(task, today())


@router.post(
    "/tasks/{task_id}/refuse",
    response=TaskWithDisputeOut,
    summary="Từ chối nhiệm vụ (mở tranh chấp thẩm quyền)",
)
def task_refuse(request: HttpRequest, task_id: int, body: RefuseIn) -> dict[str, Any]:
    actor = request_person(request)
    task = task_get_for_actor(actor, task_id)
    proposed = _unit(body.proposed_unit_id) if body.proposed_unit_id is not None else None
    task = _run(
        services.task_refuse, actor=actor, task=task, reason=body.reason, proposed_unit=proposed
    )
    dispute = (
        Dispute.objects.select_related(*DISPUTE_UNITS)
        .filter(task=task, status=DisputeStatus.OPEN)
        .get()
    )
    return {**task_out(task, today()), "dispute": _dispute_out(dispute)}


@router.post("/tasks/{task_id}/progress", response=TaskOut, summary="Báo cáo tiến độ")
def task_report_progress(request: HttpRequest, task_id: int, body: ProgressIn) -> dict[str, Any]:
    actor = request_person(request)
    task = task_get_for_actor(actor, task_id)
    report = _run(
        services.task_report_progress,
        actor=actor,
        task=task,
        percent=body.percent,
        text=body.text,
        blocker=body.blocker,
    )
    return task_out(report.task, today())  # the service's locked, updated task


@router.post("/tasks/{task_id}/submit", response=TaskOut, summary="Trình kết quả")
def task_submit(request: HttpRequest, task_id: int, body: NoteIn) -> dict[str, Any]:
    actor = request_person(request)
    task = task_get_for_actor(actor, task_id)
    task = _run(services.task_submit, actor=actor, task=task, note=body.note)
    return task_out(task, today())


@router.post(
    "/tasks/{task_id}/extensions", response=TaskWithExtensionOut, summary="Đề nghị gia hạn"
)
def extension_request(
    request: HttpRequest, task_id: int, body: ExtensionRequestIn
) -> dict[str, Any]:
    actor = request_person(request)
    task = task_get_for_actor(actor, task_id)
    extension = _run(
        services.extension_request,
        actor=actor,
        task=task,
        new_deadline=body.new_deadline,
        reason=body.reason,
    )
    return {**task_out(extension.task, today()), "extension": _extension_out(extension)}


# --- the assigner side -----------------------------------------------------------------------


@router.post("/tasks/{task_id}/approve", response=TaskOut, summary="Duyệt kết quả, chấm mức")
def task_approve(request: HttpRequest, task_id: int, body: ApproveIn) -> dict[str, Any]:
    actor = request_person(request)
    task = task_get_for_actor(actor, task_id)
    task = _run(
        services.task_approve,
        actor=actor,
        task=task,
        quality_grade=body.quality_grade,
        effectiveness_grade=body.effectiveness_grade,
        note=body.note,
    )
    return task_out(task, today())


@router.post("/tasks/{task_id}/return", response=TaskOut, summary="Trả lại kết quả")
def task_return(request: HttpRequest, task_id: int, body: ReasonIn) -> dict[str, Any]:
    actor = request_person(request)
    task = task_get_for_actor(actor, task_id)
    task = _run(services.task_return, actor=actor, task=task, reason=body.reason)
    return task_out(task, today())


@router.post("/tasks/{task_id}/cancel", response=TaskOut, summary="Hủy nhiệm vụ")
def task_cancel(request: HttpRequest, task_id: int, body: ReasonIn) -> dict[str, Any]:
    actor = request_person(request)
    task = task_get_for_actor(actor, task_id)
    task = _run(services.task_cancel, actor=actor, task=task, reason=body.reason)
    return task_out(task, today())


@router.post(
    "/extensions/{extension_id}/decide",
    response=TaskWithExtensionOut,
    summary="Quyết định gia hạn",
)
def extension_decide(
    request: HttpRequest, extension_id: int, body: ExtensionDecideIn
) -> dict[str, Any]:
    actor = request_person(request)
    extension = extension_get_for_actor(actor, extension_id)
    extension = _run(
        services.extension_decide,
        actor=actor,
        extension=extension,
        approve=body.approve,
        note=body.note,
    )
    task = Task.objects.select_related("lead_unit").get(pk=extension.task_id)
    return {**task_out(task, today()), "extension": _extension_out(extension)}


# --- disputes --------------------------------------------------------------------------------


@router.get("/disputes/{dispute_id}", response=DisputeOut, summary="Một tranh chấp thẩm quyền")
def dispute_detail(request: HttpRequest, dispute_id: int) -> dict[str, Any]:
    return _dispute_out(dispute_get_for_actor(request_person(request), dispute_id))


@router.post(
    "/disputes/{dispute_id}/decide",
    response=TaskWithDisputeOut,
    summary="Quyết định đơn vị chủ trì (tranh chấp thẩm quyền)",
)
def dispute_decide(request: HttpRequest, dispute_id: int, body: DisputeDecideIn) -> dict[str, Any]:
    actor = request_person(request)
    dispute = dispute_get_for_actor(actor, dispute_id)
    unit = _unit(body.unit_id)
    dispute = _run(
        services.dispute_decide, actor=actor, dispute=dispute, unit=unit, reason=body.reason
    )
    task = Task.objects.select_related("lead_unit").get(pk=dispute.task_id)
    dispute = Dispute.objects.select_related(*DISPUTE_UNITS).get(pk=dispute.pk)
    return {**task_out(task, today()), "dispute": _dispute_out(dispute)}
