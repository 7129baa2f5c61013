"""REST endpoints of the cascade (/api/v1/cascade/).

Thin: parse, fetch the directive or the receipt through its `*_get_for_actor`
(baro.cascade.permissions: what the acting person may not see is a 404 `not_found`, before
any command runs), then one query, or one command through run_command (its transaction).
Commands raise DomainError, which baro.api turns into JSON `{code, message}` with its status
(403 `auth.denied` / `cascade.not_member`, 409 `cascade.already_sent`…). The list of what I
have to acknowledge pages like every list of the API (baro.core.paging).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from baro.cascade import queries, services
from baro.cascade.models import Acknowledgement, DirectiveReceipt
from baro.cascade.permissions import followed_directive_get_for_actor, receipt_get_for_actor
from baro.cascade.queries import FILTERS, ReceiptRow, Stage
from baro.cascade.schemas import (
    AcknowledgementOut,
    DeploymentIn,
    OverviewOut,
    PlanIn,
    ReceiptOut,
    ReceiptPage,
    SendIn,
)
from baro.core.errors import NotFoundError
from baro.core.ids import fits_integer_column
from baro.core.inputs import (
    SHORT_TEXT_MAX,
)
from baro.core.paging import PageQuery, page
from baro.core.run import run_command
from baro.org.api_auth import request_person
from baro.org.models import Unit

router = Router(tags=["Triển khai văn bản"])


class OverviewQuery(Schema):
    loc: str = Field("", max_length=SHORT_TEXT_MAX)


def _units(ids: list[int]) -> list[Unit]:
    storable = [pk for pk in ids if fits_integer_column(pk)]
    found = {unit.pk: unit for unit in Unit.objects.filter(pk__in=storable)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise NotFoundError(
            _("Không tìm thấy đơn vị: %(missing)s.") % {"missing": ", ".join(map(str, missing))}
        )
    return [found[pk] for pk in ids]


def _stage(stage: Stage) -> dict[str, Any]:
    return {
        "state": stage.state,
        "due": stage.due,
        "done_on": stage.done_on,
        "days": stage.days,
        "label": stage.label,
    }


def _row(row: ReceiptRow) -> dict[str, Any]:
    return {
        "receipt_id": row.receipt.pk,
        "parent_id": row.receipt.parent_id,
        "level": row.level,
        "unit": row.unit,
        "sent_on": row.receipt.sent_on,
        "plan": _stage(row.plan),
        "deployment": _stage(row.deployment),
        "member_total": len(row.members),
        "acknowledged_total": len(row.acknowledged),
        "not_acknowledged": row.not_acknowledged,
        "days_late": row.days_late,
    }


def _ack(ack: Acknowledgement) -> dict[str, Any]:
    return {
        "receipt_id": ack.receipt_id,
        "person": ack.person,
        "acknowledged_at": ack.acknowledged_at,
    }


@router.post(
    "/directives/{directive_id}/send",
    response={201: list[ReceiptOut]},
    summary="Gửi văn bản đến các đơn vị (một lệnh, một sự kiện sổ cái)",
)
def directive_send(
    request: HttpRequest, directive_id: int, body: SendIn
) -> tuple[int, list[DirectiveReceipt]]:
    person = request_person(request)
    directive = followed_directive_get_for_actor(actor=person, pk=directive_id)
    receipts = run_command(
        services.directive_send,
        actor=person,
        directive=directive,
        units=_units(body.unit_ids),
        sent_on=body.sent_on,
    )
    return Status(201, receipts)


@router.get(
    "/directives/{directive_id}/overview",
    response=OverviewOut,
    summary="Tình hình cụ thể hóa, triển khai, quán triệt từng đơn vị",
)
def overview(
    request: HttpRequest, directive_id: int, filters: Query[OverviewQuery]
) -> dict[str, Any]:
    person = request_person(request)
    directive = followed_directive_get_for_actor(actor=person, pk=directive_id)
    result = queries.cascade_overview(person, directive)
    rows = queries.filter_rows(result.rows, filters.loc) if filters.loc in FILTERS else result.rows
    return {
        "directive_id": directive.pk,
        "number_symbol": directive.number_symbol,
        "today": result.today,
        "unit_count": result.unit_count,
        "plan_missing": len(result.plan_missing),
        "plan_late": len(result.plan_late),
        "not_deployed": len(result.not_deployed),
        "units_with_unacknowledged": len(result.with_unacknowledged),
        "rows": [_row(row) for row in rows],
    }


@router.get("/receipts/{receipt_id}", response=ReceiptOut, summary="Một văn bản đơn vị nhận")
def receipt_detail(request: HttpRequest, receipt_id: int) -> DirectiveReceipt:
    return receipt_get_for_actor(actor=request_person(request), pk=receipt_id)


@router.post(
    "/receipts/{receipt_id}/forward",
    response={201: list[ReceiptOut]},
    summary="Chuyển văn bản cho các đơn vị trực thuộc",
)
def receipt_forward(
    request: HttpRequest, receipt_id: int, body: SendIn
) -> tuple[int, list[DirectiveReceipt]]:
    person = request_person(request)
    receipt = receipt_get_for_actor(actor=person, pk=receipt_id)
    forwards = run_command(
        services.receipt_forward,
        actor=person,
        receipt=receipt,
        units=_units(body.unit_ids),
        sent_on=body.sent_on,
    )
    return Status(201, forwards)


@router.post(
    "/receipts/{receipt_id}/plan",
    response=ReceiptOut,
    summary="Ghi nhận kế hoạch thực hiện của đơn vị",
)
def plan_issue(request: HttpRequest, receipt_id: int, body: PlanIn) -> DirectiveReceipt:
    person = request_person(request)
    receipt = receipt_get_for_actor(actor=person, pk=receipt_id)
    return run_command(
        services.plan_issue,
        actor=person,
        receipt=receipt,
        number_symbol=body.number_symbol,
        issued_on=body.issued_on,
        title=body.title,
    )


@router.post(
    "/receipts/{receipt_id}/deployment",
    response=ReceiptOut,
    summary="Ghi nhận việc quán triệt, triển khai đến cán bộ",
)
def deployment_record(
    request: HttpRequest, receipt_id: int, body: DeploymentIn
) -> DirectiveReceipt:
    person = request_person(request)
    receipt = receipt_get_for_actor(actor=person, pk=receipt_id)
    return run_command(
        services.deployment_record,
        actor=person,
        receipt=receipt,
        deployed_on=body.deployed_on,
        form=body.form,
        note=body.note,
    )


@router.post(
    "/receipts/{receipt_id}/acknowledge",
    response=AcknowledgementOut,
    summary="Xác nhận đã quán triệt (lần thứ hai trả lại xác nhận đầu, không ghi thêm)",
)
def acknowledge(request: HttpRequest, receipt_id: int) -> dict[str, Any]:
    person = request_person(request)
    receipt = receipt_get_for_actor(actor=person, pk=receipt_id)
    return _ack(run_command(services.receipt_acknowledge, actor=person, receipt=receipt))


@router.get(
    "/pending",
    response=ReceiptPage,
    summary="Văn bản tôi cần quán triệt, hạn triển khai gần nhất trước",
)
def pending(request: HttpRequest, window: Query[PageQuery]) -> dict[str, Any]:
    return page(queries.pending_receipts(request_person(request)), window)
