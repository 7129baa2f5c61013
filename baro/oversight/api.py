"""REST endpoints of oversight (/api/v1/oversight/).

Thin, like baro.cascade.api: parse, fetch what the acting person may see through
baro.oversight.permissions (anything else is a 404 `not_found`, before any command runs), then
call one query, or one service through run_command. Services raise DomainError, which baro.api
turns into JSON `{code, message, field?}` with its status: 403 for authority
(`oversight.flag_denied`, `oversight.inspection_denied`, `auth.denied`…), 409 for a clash with
the current state (`oversight.flag_decided`, `oversight.inspection_concluded`,
`oversight.evidence_twice`, `oversight.letter_number_taken`, and `oversight.task_closed`, which
the service raises as a plain DomainError), 400 for refused input, 422 for a body that does not
parse. Lists page as every list of /api/v1/ does (baro.core.paging: `limit`/`offset` in,
`count`/`limit`/`offset`/`items` out).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from baro.core.errors import DomainError, NotFoundError, state_conflicts
from baro.core.inputs import (
    MAX_ID,
    PERIOD_YEAR_MAX,
    PERIOD_YEAR_MIN,
    SHORT_TEXT_MAX,
)
from baro.core.paging import PageQuery, page
from baro.core.run import run_command
from baro.org.api_auth import request_person
from baro.org.models import Person, Unit
from baro.oversight import letters, permissions, queries, services
from baro.oversight.ladder import Ladder
from baro.oversight.models import (
    Flag,
    FlagEvidence,
    FlagKind,
    FlagStatus,
    HandlingDecision,
    HandlingMeasure,
    Inspection,
    InspectionEvidence,
    LadderConfig,
    LadderStep,
    Urging,
    UrgingLetter,
)
from baro.oversight.schemas import (
    ConclusionIn,
    EvidenceIn,
    FindingsIn,
    FlagDetailOut,
    FlagOut,
    FlagPage,
    HandlingIn,
    HandlingOut,
    InspectionDetailOut,
    InspectionIn,
    InspectionPage,
    LadderIn,
    LadderOut,
    LetterIn,
    LetterOut,
    ReasonIn,
    UrgeIn,
    UrgingOut,
)
from baro.work import permissions as work_permissions
from baro.work.models import Task

router = Router(tags=["Giám sát: đôn đốc, kiểm tra, xử lý"])

# Refused because of the current state, raised by the services as a plain DomainError (400):
# over HTTP a conflict (409), same code and message.
STATE_CONFLICT_CODES = frozenset({"oversight.task_closed"})


# --------------------------------------------------------------------------------------------
# serialisation


def _unit(unit: Unit) -> dict[str, Any]:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def _person(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.pk, "code": person.code, "full_name": person.full_name}


def _flag(flag: Flag) -> dict[str, Any]:
    return {
        "id": flag.pk,
        "kind": flag.kind,
        "kind_label": str(FlagKind(flag.kind).label),
        "status": flag.status,
        "status_label": str(FlagStatus(flag.status).label),
        "unit": _unit(flag.unit),
        "person": _person(flag.person),
        "task_id": flag.task_id,
        "summary": flag.summary,
        "figures": flag.figures or {},
        "raised_at": flag.raised_at,
        "decided_by": _person(flag.decided_by),
        "decided_at": flag.decided_at,
        "decision_reason": flag.decision_reason,
    }


def _flag_evidence(item: FlagEvidence) -> dict[str, Any]:
    event = item.event
    return {
        "id": item.pk,
        "task_id": item.task_id,
        "task_title": item.task.title if item.task else None,
        "event_id": item.event_id,
        "event_seq": event.seq if event else None,
        "event_action": event.action if event else None,
        "event_occurred_at": event.occurred_at if event else None,
        "note": item.note,
    }


def _inspection(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "title": inspection.title,
        "status": inspection.status,
        "inspecting_unit": _unit(inspection.inspecting_unit),
        "target_unit": _unit(inspection.target_unit),
        "target_person": _person(inspection.target_person),
        "period_from": inspection.period_from,
        "period_to": inspection.period_to,
        "findings": inspection.findings,
        "conclusion": inspection.conclusion,
        "created_at": inspection.created_at,
        "concluded_at": inspection.concluded_at,
    }


def _evidence(item: InspectionEvidence) -> dict[str, Any]:
    return {
        "id": item.pk,
        "flag_id": item.flag_id,
        "task_id": item.task_id,
        "note": item.note,
        "added_by_id": item.added_by_id,
        "added_at": item.added_at,
    }


def _handling(handling: HandlingDecision) -> dict[str, Any]:
    return {
        "id": handling.pk,
        "inspection_id": handling.inspection_id,
        "measure": handling.measure,
        "measure_label": str(HandlingMeasure(handling.measure).label),
        "unit": _unit(handling.unit),
        "person": _person(handling.person),
        "document_number": handling.document_number,
        "document_date": handling.document_date,
        "reason": handling.reason,
        "decided_by_id": handling.decided_by_id,
        "decided_at": handling.decided_at,
    }


def _urging(urging: Urging) -> dict[str, Any]:
    return {
        "id": urging.pk,
        "task_id": urging.task_id,
        "deadline": urging.deadline,
        "step": urging.step,
        "step_label": str(LadderStep(urging.step).label),
        "target_unit": _unit(urging.target_unit),
        "target_person": _person(urging.target_person),
        "urged_by_id": urging.urged_by_id,
        "note": urging.note,
        "letter_id": urging.letter_id,
        "created_at": urging.created_at,
    }


def _letter(letter: UrgingLetter) -> dict[str, Any]:
    return {
        "id": letter.pk,
        "issuing_unit": _unit(letter.issuing_unit),
        "number_symbol": letter.number_symbol,
        "place": letter.place,
        "issued_on": letter.issued_on,
        "subject": letter.subject,
        "opening": letter.opening,
        "closing": letter.closing,
        "reply_by": letter.reply_by,
        "signer": _person(letter.signer),
        "signer_mark": letter.signer_mark,
        "signer_position": letter.signer_position,
        "recipients": letter.recipients,
        "created_at": letter.created_at,
        "urgings": [_urging(u) for u in queries.letter_urgings(letter)],
    }


def _ladder(
    ladder: Ladder, config: LadderConfig | None, scope: str, directive_id: int | None
) -> dict[str, Any]:
    return {
        "scope": scope,
        "directive_id": directive_id,
        "configured": config is not None,
        **ladder.as_dict(),
        "updated_at": config.updated_at if config else None,
    }


# --------------------------------------------------------------------------------------------
# lookups


def _unit_row(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotFoundError(_("Không tìm thấy đơn vị."))
    return unit


def _person_row(person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id, is_system=False).first()
    if person is None:
        raise NotFoundError(_("Không tìm thấy cán bộ."))
    return person


def _visible_task(actor: Person, task_id: int) -> Task:
    return work_permissions.task_get_for_actor(
        actor=actor, pk=task_id, related=("officer", "directive")
    )


# --------------------------------------------------------------------------------------------
# flags


class FlagQuery(PageQuery):
    kind: str = Field("", max_length=SHORT_TEXT_MAX)
    status: str = Field("", max_length=SHORT_TEXT_MAX)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    date_from: str = Field("", max_length=SHORT_TEXT_MAX)
    date_to: str = Field("", max_length=SHORT_TEXT_MAX)
    q: str = Field("", max_length=SHORT_TEXT_MAX)
    task_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Chỉ các dấu hiệu về nhiệm vụ này (hoặc dẫn nó làm chứng cứ)",
    )


def _flag_filters(actor: Person, params: FlagQuery) -> queries.FlagFilters:
    def day(value: str, field: str) -> dt.date | None:
        if not value:
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise DomainError(
                "oversight.invalid_filter",
                _("Ngày “%(value)s” không đúng dạng YYYY-MM-DD.") % {"value": value},
                field=field,
            ) from None

    if params.kind and params.kind not in FlagKind.values:
        raise DomainError(
            "oversight.invalid_filter",
            _("Loại dấu hiệu “%(kind)s” không có.") % {"kind": params.kind},
            field="kind",
        )
    if params.status and params.status not in FlagStatus.values:
        raise DomainError(
            "oversight.invalid_filter",
            _("Trạng thái “%(status)s” không có.") % {"status": params.status},
            field="status",
        )
    return queries.FlagFilters(
        kind=params.kind,
        status=params.status,
        unit=_unit_row(params.unit_id) if params.unit_id else None,
        date_from=day(params.date_from, "date_from"),
        date_to=day(params.date_to, "date_to"),
        text=params.q,
        task_id=(
            work_permissions.task_get_for_actor(actor=actor, pk=params.task_id).pk
            if params.task_id is not None
            else None
        ),
    )


@router.get("/flags", response=FlagPage, summary="Dấu hiệu né tránh, đùn đẩy (có bộ lọc)")
def flag_list(request: HttpRequest, params: Query[FlagQuery]) -> dict[str, Any]:
    actor = request_person(request)
    filters = _flag_filters(actor, params)
    body = page(queries.flag_list(actor=actor, filters=filters), params, _flag)
    body["status_counts"] = queries.flag_status_counts(actor=actor, filters=filters)
    return body


@router.get("/flags/{flag_id}", response=FlagDetailOut, summary="Một dấu hiệu và chứng cứ")
def flag_detail(request: HttpRequest, flag_id: int) -> dict[str, Any]:
    actor = request_person(request)
    flag = permissions.flag_get_for_actor(actor, flag_id)
    return {
        **_flag(flag),
        "evidence": [_flag_evidence(item) for item in queries.flag_evidence(flag)],
        "may_decide": bool(permissions.may_decide_flag(actor, flag)),
    }


def _decide(request: HttpRequest, flag_id: int, body: ReasonIn, *, confirm: bool) -> dict[str, Any]:
    actor = request_person(request)
    flag = permissions.flag_get_for_actor(actor, flag_id)
    return _flag(
        run_command(
            services.flag_decide, actor=actor, flag=flag, confirm=confirm, reason=body.reason
        )
    )


@router.post("/flags/{flag_id}/confirm", response=FlagOut, summary="Xác nhận dấu hiệu")
def flag_confirm(request: HttpRequest, flag_id: int, body: ReasonIn) -> dict[str, Any]:
    return _decide(request, flag_id, body, confirm=True)


@router.post("/flags/{flag_id}/dismiss", response=FlagOut, summary="Bác bỏ dấu hiệu")
def flag_dismiss(request: HttpRequest, flag_id: int, body: ReasonIn) -> dict[str, Any]:
    return _decide(request, flag_id, body, confirm=False)


# --------------------------------------------------------------------------------------------
# inspections


class InspectionQuery(PageQuery):
    status: str = Field("", max_length=SHORT_TEXT_MAX)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    year: int | None = Field(None, ge=PERIOD_YEAR_MIN, le=PERIOD_YEAR_MAX)


@router.get("/inspections", response=InspectionPage, summary="Các cuộc kiểm tra")
def inspection_list(request: HttpRequest, params: Query[InspectionQuery]) -> dict[str, Any]:
    actor = request_person(request)
    filters = queries.InspectionFilters(
        status=params.status,
        unit=_unit_row(params.unit_id) if params.unit_id else None,
        year=params.year,
    )
    qs = queries.inspection_list(actor=actor, filters=filters)
    return page(qs, params, _inspection)


def _inspection_detail(inspection: Inspection) -> dict[str, Any]:
    return {
        **_inspection(inspection),
        "evidence": [_evidence(e) for e in queries.inspection_evidence(inspection)],
        "handlings": [_handling(h) for h in queries.inspection_handlings(inspection)],
    }


@router.post("/inspections", response={201: InspectionDetailOut}, summary="Lập kế hoạch kiểm tra")
def inspection_open(request: HttpRequest, body: InspectionIn) -> tuple[int, dict[str, Any]]:
    actor = request_person(request)
    inspection = run_command(
        services.inspection_open,
        actor=actor,
        target_unit=_unit_row(body.target_unit_id),
        target_person=_person_row(body.target_person_id) if body.target_person_id else None,
        title=body.title,
        period_from=body.period_from,
        period_to=body.period_to,
    )
    inspection = permissions.inspection_get_for_actor(actor, inspection.pk)
    return Status(201, _inspection_detail(inspection))


@router.get(
    "/inspections/{inspection_id}",
    response=InspectionDetailOut,
    summary="Một cuộc kiểm tra: chứng cứ, kết quả, kết luận, xử lý",
)
def inspection_detail(request: HttpRequest, inspection_id: int) -> dict[str, Any]:
    actor = request_person(request)
    return _inspection_detail(permissions.inspection_get_for_actor(actor, inspection_id))


@router.post(
    "/inspections/{inspection_id}/evidence",
    response={201: InspectionDetailOut},
    summary="Bổ sung chứng cứ (một dấu hiệu hoặc một nhiệm vụ)",
)
def inspection_evidence(
    request: HttpRequest, inspection_id: int, body: EvidenceIn
) -> tuple[int, dict[str, Any]]:
    actor = request_person(request)
    inspection = permissions.inspection_get_for_actor(actor, inspection_id)
    flag = permissions.flag_get_for_actor(actor, body.flag_id) if body.flag_id else None
    task = None
    if body.task_id:
        task = work_permissions.task_get_for_actor(actor=actor, pk=body.task_id)
    run_command(
        services.inspection_add_evidence,
        actor=actor,
        inspection=inspection,
        flag=flag,
        task=task,
        note=body.note,
    )
    return Status(
        201, _inspection_detail(permissions.inspection_get_for_actor(actor, inspection_id))
    )


@router.post(
    "/inspections/{inspection_id}/findings",
    response=InspectionDetailOut,
    summary="Ghi (hoặc ghi lại) kết quả kiểm tra",
)
def inspection_findings(
    request: HttpRequest, inspection_id: int, body: FindingsIn
) -> dict[str, Any]:
    actor = request_person(request)
    inspection = permissions.inspection_get_for_actor(actor, inspection_id)
    run_command(
        services.inspection_record_findings,
        actor=actor,
        inspection=inspection,
        findings=body.findings,
    )
    return _inspection_detail(permissions.inspection_get_for_actor(actor, inspection_id))


@router.post(
    "/inspections/{inspection_id}/conclude",
    response=InspectionDetailOut,
    summary="Kết luận kiểm tra (không sửa được nữa)",
)
def inspection_conclude(
    request: HttpRequest, inspection_id: int, body: ConclusionIn
) -> dict[str, Any]:
    actor = request_person(request)
    inspection = permissions.inspection_get_for_actor(actor, inspection_id)
    run_command(
        services.inspection_conclude, actor=actor, inspection=inspection, conclusion=body.conclusion
    )
    return _inspection_detail(permissions.inspection_get_for_actor(actor, inspection_id))


@router.post(
    "/inspections/{inspection_id}/handling",
    response={201: HandlingOut},
    summary="Quyết định xử lý (người đứng đầu, cán bộ hoặc đơn vị)",
)
def inspection_handling(
    request: HttpRequest, inspection_id: int, body: HandlingIn
) -> tuple[int, dict[str, Any]]:
    actor = request_person(request)
    inspection = permissions.inspection_get_for_actor(actor, inspection_id)
    handling = run_command(
        services.handling_decide,
        actor=actor,
        inspection=inspection,
        measure=body.measure,
        document_number=body.document_number,
        document_date=body.document_date,
        reason=body.reason,
        person=_person_row(body.person_id) if body.person_id else None,
        unit=_unit_row(body.unit_id) if body.unit_id else None,
    )
    return Status(201, _handling(handling))


# --------------------------------------------------------------------------------------------
# urgings of a task


@router.get(
    "/tasks/{task_id}/urgings",
    response=list[UrgingOut],
    summary="Các lần nhắc, đôn đốc, báo cáo người đứng đầu của một nhiệm vụ",
)
def task_urgings(request: HttpRequest, task_id: int) -> list[dict[str, Any]]:
    actor = request_person(request)
    task = _visible_task(actor, task_id)
    return [_urging(u) for u in queries.task_urgings(task)]


@router.post(
    "/tasks/{task_id}/urge", response={201: UrgingOut}, summary="Lãnh đạo đôn đốc nhiệm vụ"
)
def task_urge(request: HttpRequest, task_id: int, body: UrgeIn) -> tuple[int, dict[str, Any]]:
    actor = request_person(request)
    task = _visible_task(actor, task_id)
    with state_conflicts(STATE_CONFLICT_CODES):
        urging = run_command(services.task_urge, actor=actor, task=task, note=body.note)
    urging = Urging.objects.select_related("target_unit", "target_person").get(pk=urging.pk)
    return Status(201, _urging(urging))


# --------------------------------------------------------------------------------------------
# urging letters


@router.post("/letters", response={201: LetterOut}, summary="Ban hành công văn đôn đốc")
def letter_issue(request: HttpRequest, body: LetterIn) -> tuple[int, dict[str, Any]]:
    actor = request_person(request)
    unit = _unit_row(body.issuing_unit_id)
    # A task the caller may not see is not found (its title is not theirs to learn).
    tasks = [_visible_task(actor, pk) for pk in dict.fromkeys(body.task_ids)]
    draft = services.LetterDraft(
        issuing_unit=unit,
        number_symbol=body.number_symbol,
        place=body.place,
        issued_on=body.issued_on,
        subject=body.subject,
        opening=body.opening,
        closing=body.closing,
        reply_by=body.reply_by,
        signer=_person_row(body.signer_id) if body.signer_id else actor,
        signer_mark=body.signer_mark,
        signer_position=body.signer_position,
        recipients=body.recipients,
    )
    with state_conflicts(STATE_CONFLICT_CODES):
        letter = run_command(services.urging_letter_issue, actor=actor, draft=draft, tasks=tasks)
    return Status(201, _letter(permissions.letter_get_for_actor(actor, letter.pk)))


@router.get("/letters/{int:letter_id}", response=LetterOut, summary="Một công văn đôn đốc")
def letter_detail(request: HttpRequest, letter_id: int) -> dict[str, Any]:
    actor = request_person(request)
    return _letter(permissions.letter_get_for_actor(actor, letter_id))


@router.get(
    "/letters/{int:letter_id}.docx",
    summary="Tải công văn đôn đốc (.docx)",
    response={200: None},
    openapi_extra={
        "responses": {200: {"description": "Tệp .docx", "content": {letters.DOCX_TYPE: {}}}}
    },
)
def letter_docx(request: HttpRequest, letter_id: int) -> HttpResponse:
    actor = request_person(request)
    content = queries.letter_content(permissions.letter_get_for_actor(actor, letter_id))
    return letters.letter_download(content, "docx")


@router.get(
    "/letters/{int:letter_id}.pdf",
    summary="Tải công văn đôn đốc (.pdf); 503 `letter.unavailable` khi máy chủ không xuất PDF",
    response={200: None},
    openapi_extra={
        "responses": {200: {"description": "Tệp .pdf", "content": {letters.PDF_TYPE: {}}}}
    },
)
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    actor = request_person(request)
    content = queries.letter_content(permissions.letter_get_for_actor(actor, letter_id))
    return letters.letter_download(content, "pdf")


# --------------------------------------------------------------------------------------------
# the ladder


@router.get("/ladder", response=LadderOut, summary="Thang đôn đốc chung")
def ladder_installation(request: HttpRequest) -> dict[str, Any]:
    request_person(request)
    ladder, config = queries.ladder_of_installation()
    return _ladder(ladder, config, "installation", None)


@router.put("/ladder", response=LadderOut, summary="Đặt thang đôn đốc chung (quản trị)")
def ladder_installation_set(request: HttpRequest, body: LadderIn) -> dict[str, Any]:
    actor = request_person(request)
    run_command(services.ladder_configure, actor=actor, values=body.model_dump())
    ladder, config = queries.ladder_of_installation()
    return _ladder(ladder, config, "installation", None)


@router.get(
    "/directives/{directive_id}/ladder",
    response=LadderOut,
    summary="Thang đôn đốc của một văn bản (hoặc thang chung đang áp dụng)",
)
def ladder_directive(request: HttpRequest, directive_id: int) -> dict[str, Any]:
    actor = request_person(request)
    directive = work_permissions.directive_get_for_actor(actor=actor, pk=directive_id)
    ladder, config = queries.ladder_of_directive(directive)
    return _ladder(ladder, config, f"directive:{directive.pk}", directive.pk)


@router.put(
    "/directives/{directive_id}/ladder",
    response=LadderOut,
    summary="Đặt thang đôn đốc riêng cho một văn bản (bên ban hành)",
)
def ladder_directive_set(request: HttpRequest, directive_id: int, body: LadderIn) -> dict[str, Any]:
    actor = request_person(request)
    directive = work_permissions.directive_get_for_actor(actor=actor, pk=directive_id)
    run_command(
        services.ladder_configure, actor=actor, directive=directive, values=body.model_dump()
    )
    ladder, config = queries.ladder_of_directive(directive)
    return _ladder(ladder, config, f"directive:{directive.pk}", directive.pk)
