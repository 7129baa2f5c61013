"""REST endpoints of the organisation registry (/api/v1/org/).

Thin: parse, fetch what the operation acts on through baro.org.permissions' `*_get_for_actor`
(what the acting person may not see is a 404 `not_found`, before any command runs), then call one
query, or one command through run_command (its own transaction). Commands raise DomainError,
which baro.api turns into JSON. Lists page by baro.core.paging's `limit`/`offset` contract.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ValidationError as PydanticValidationError

from baro.core.errors import AuthorityError, DomainError, NotFoundError
from baro.core.inputs import (
    MAX_ID,
    SHORT_TEXT_MAX,
    Day,
    Id,
)
from baro.core.multipart import multipart, multipart_body, uploaded_file
from baro.core.paging import PageQuery, page
from baro.core.run import run_command
from baro.core.timeutil import today
from baro.org import queries, services
from baro.org.api_auth import request_person
from baro.org.models import Delegation, Person, Position, Unit
from baro.org.permissions import (
    can_view,
    delegation_get_for_actor,
    may_import,
    person_get_for_actor,
    position_get_for_actor,
    unit_get_for_actor,
)
from baro.org.schemas import (
    DelegationGrantIn,
    DelegationOut,
    HeadReplaceIn,
    ImportResultOut,
    PersonCreateIn,
    PersonOut,
    PersonPage,
    PositionAppointIn,
    PositionEndIn,
    PositionOut,
    ReasonIn,
    TokenIssueIn,
    TokenOut,
    UnitCloseIn,
    UnitCreateIn,
    UnitMoveIn,
    UnitOut,
    UnitPage,
    UnitStaffOut,
    UnitUpdateIn,
)

router = Router(tags=["Cơ cấu tổ chức"])


class UnitListQuery(PageQuery):
    search: str = Field("", max_length=SHORT_TEXT_MAX)
    kind: str | None = Field(None, max_length=SHORT_TEXT_MAX)
    include_closed: bool = False


class PersonListQuery(PageQuery):
    search: str = Field("", max_length=SHORT_TEXT_MAX)
    unit_id: int | None = Field(None, ge=1, le=MAX_ID)


def _named_person(person_id: int) -> Person:
    """A person a body names as the one to appoint, or to delegate to or on behalf of: any
    registered person, as the pages' forms find one by code (the command decides whether the
    actor may). The people an operation acts on are fetched with person_get_for_actor."""
    found = Person.objects.filter(pk=person_id, is_system=False).first()
    if found is None:
        raise NotFoundError(_("Không tìm thấy cán bộ."))
    return found


# --------------------------------------------------------------------------------------------
# units


@router.get("/units", response=UnitPage, summary="Tìm đơn vị")
def unit_list(request: HttpRequest, filters: Query[UnitListQuery]) -> dict[str, Any]:
    person = request_person(request)
    units = queries.unit_search(
        filters.search,
        kind=filters.kind,
        include_closed=filters.include_closed,
        within=queries.units_visible_to(person),
    )
    return page(units, filters)


@router.post("/units", response={201: UnitOut}, summary="Tạo đơn vị")
def unit_create(request: HttpRequest, body: UnitCreateIn) -> Status[Unit]:
    person = request_person(request)
    parent = unit_get_for_actor(person, body.parent_id) if body.parent_id is not None else None
    data = body.dict(exclude={"parent_id"})
    return Status(201, run_command(services.unit_create, actor=person, parent=parent, **data))


@router.get("/units/{unit_id}", response=UnitOut, summary="Một đơn vị")
def unit_detail(request: HttpRequest, unit_id: int) -> Unit:
    return unit_get_for_actor(request_person(request), unit_id)


class StaffQuery(Schema):
    on: Day | None = Field(None, description="Ngày xem (mặc định hôm nay)")


@router.get(
    "/units/{unit_id}/positions",
    response=UnitStaffOut,
    summary="Người đứng đầu và các chức vụ của đơn vị",
)
def unit_staff(request: HttpRequest, unit_id: int, params: Query[StaffQuery]) -> dict[str, Any]:
    unit = unit_get_for_actor(request_person(request), unit_id)
    day = params.on or today()
    head = queries.unit_head(unit, day)
    return {
        "unit_id": unit.pk,
        "on": day,
        "head": head,
        "positions": list(queries.unit_positions(unit, day)),
    }


@router.patch("/units/{unit_id}", response=UnitOut, summary="Sửa đơn vị")
def unit_update(request: HttpRequest, unit_id: int, body: UnitUpdateIn) -> Unit:
    person = request_person(request)
    unit = unit_get_for_actor(person, unit_id)
    return run_command(
        services.unit_update, actor=person, unit=unit, **body.dict(exclude_unset=True)
    )


@router.get("/units/{unit_id}/subtree", response=UnitPage, summary="Cây đơn vị trực thuộc")
def unit_subtree(request: HttpRequest, unit_id: int, window: Query[PageQuery]) -> dict[str, Any]:
    unit = unit_get_for_actor(request_person(request), unit_id)
    return page(queries.subtree(unit), window)


@router.get("/units/{unit_id}/ancestors", response=list[UnitOut], summary="Các cấp trên")
def unit_ancestors(request: HttpRequest, unit_id: int) -> list[Unit]:
    person = request_person(request)
    unit = unit_get_for_actor(person, unit_id)
    return [up for up in queries.ancestors(unit) if can_view(person, up)]


@router.post("/units/{unit_id}/move", response=UnitOut, summary="Chuyển đơn vị")
def unit_move(request: HttpRequest, unit_id: int, body: UnitMoveIn) -> Unit:
    person = request_person(request)
    unit = unit_get_for_actor(person, unit_id)
    new_parent = unit_get_for_actor(person, body.new_parent_id)
    return run_command(services.unit_move, actor=person, unit=unit, new_parent=new_parent)


@router.post("/units/{unit_id}/close", response=UnitOut, summary="Giải thể đơn vị")
def unit_close(request: HttpRequest, unit_id: int, body: UnitCloseIn) -> Unit:
    person = request_person(request)
    unit = unit_get_for_actor(person, unit_id)
    successor = (
        unit_get_for_actor(person, body.successor_id) if body.successor_id is not None else None
    )
    return run_command(
        services.unit_close,
        actor=person,
        unit=unit,
        on=body.on,
        successor=successor,
        kind=body.kind,
        decision_ref=body.decision_ref,
        note=body.note,
    )


@router.post("/units/{unit_id}/head", response={201: PositionOut}, summary="Thay người đứng đầu")
def unit_head_replace(request: HttpRequest, unit_id: int, body: HeadReplaceIn) -> Status[Position]:
    person = request_person(request)
    unit = unit_get_for_actor(person, unit_id)
    position = run_command(
        services.head_replace,
        actor=person,
        unit=unit,
        person=_named_person(body.person_id),
        title=body.title,
        on=body.on,
        decision_ref=body.decision_ref,
    )
    return Status(201, position)


# --------------------------------------------------------------------------------------------
# people and positions


@router.get("/persons", response=PersonPage, summary="Tìm cán bộ")
def person_list(request: HttpRequest, filters: Query[PersonListQuery]) -> dict[str, Any]:
    person = request_person(request)
    within: Unit | QuerySet[Unit] = (
        unit_get_for_actor(person, filters.unit_id)
        if filters.unit_id is not None
        else queries.units_visible_to(person)
    )
    return page(queries.person_search(filters.search, within=within), filters)


@router.post("/persons", response={201: PersonOut}, summary="Thêm cán bộ")
def person_create(request: HttpRequest, body: PersonCreateIn) -> Status[Person]:
    person = request_person(request)
    unit = unit_get_for_actor(person, body.unit_id)
    data = body.dict(exclude={"unit_id"})
    return Status(201, run_command(services.person_create, actor=person, unit=unit, **data))


@router.post("/positions", response={201: PositionOut}, summary="Bổ nhiệm")
def position_appoint(request: HttpRequest, body: PositionAppointIn) -> Status[Position]:
    person = request_person(request)
    unit = unit_get_for_actor(person, body.unit_id)
    position = run_command(
        services.position_appoint,
        actor=person,
        person=_named_person(body.person_id),
        unit=unit,
        role=body.role,
        title=body.title,
        valid_from=body.valid_from,
        decision_ref=body.decision_ref,
    )
    return Status(201, position)


@router.post("/positions/{position_id}/end", response=PositionOut, summary="Kết thúc chức vụ")
def position_end(request: HttpRequest, position_id: int, body: PositionEndIn) -> Position:
    person = request_person(request)
    position = position_get_for_actor(person, position_id)
    return run_command(
        services.position_end, actor=person, position=position, on=body.on, reason=body.reason
    )


# --------------------------------------------------------------------------------------------
# delegations


@router.get("/delegations", response=list[DelegationOut], summary="Ủy quyền của tôi")
def delegation_list(request: HttpRequest) -> QuerySet[Delegation]:
    return queries.delegations_for(request_person(request))


@router.post("/delegations", response={201: DelegationOut}, summary="Ủy quyền")
def delegation_grant(request: HttpRequest, body: DelegationGrantIn) -> Status[Delegation]:
    person = request_person(request)
    unit = unit_get_for_actor(person, body.unit_id)
    delegator = person if body.delegator_id is None else _named_person(body.delegator_id)
    delegation = run_command(
        services.delegation_grant,
        actor=person,
        delegator=delegator,
        delegate=_named_person(body.delegate_id),
        unit=unit,
        powers=body.powers,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        reason=body.reason,
        decision_ref=body.decision_ref,
    )
    return Status(201, delegation)


@router.post(
    "/delegations/{delegation_id}/revoke", response=DelegationOut, summary="Thu hồi ủy quyền"
)
def delegation_revoke(request: HttpRequest, delegation_id: int, body: ReasonIn) -> Delegation:
    person = request_person(request)
    delegation = delegation_get_for_actor(person, delegation_id)
    return run_command(
        services.delegation_revoke, actor=person, delegation=delegation, reason=body.reason
    )


# --------------------------------------------------------------------------------------------
# import, tokens


_IMPORT_BODY = multipart_body(parent_id={"type": "integer", "minimum": 1, "maximum": MAX_ID})


class _ImportForm(Schema):
    parent_id: Id | None = None


@router.post(
    "/import",
    response=ImportResultOut,
    summary="Nhập cơ cấu tổ chức từ tệp (multipart: `file`, `parent_id` tùy chọn)",
    openapi_extra=_IMPORT_BODY,
)
def import_file(request: HttpRequest) -> Any:
    person = request_person(request)
    fields, files = multipart(request)
    file = uploaded_file(files)
    try:
        form = _ImportForm.model_validate({"parent_id": fields.get("parent_id") or None})
    except PydanticValidationError as exc:
        raise DomainError(
            "org.invalid", _("Mã đơn vị cấp trên (parent_id) không hợp lệ."), field="parent_id"
        ) from exc
    if not may_import(person):
        raise AuthorityError(
            _("%(person)s không có quyền nhập cơ cấu tổ chức.") % {"person": person.full_name}
        )
    parent_id = form.parent_id
    parent = unit_get_for_actor(person, parent_id) if parent_id is not None else None
    return run_command(
        services.org_import,
        actor=person,
        data=file.read(),
        filename=file.name or "",
        parent=parent,
    )


@router.post("/tokens", response={201: TokenOut}, summary="Cấp mã truy cập (token)")
def token_issue(request: HttpRequest, body: TokenIssueIn) -> Status[dict[str, Any]]:
    person = request_person(request)
    owner = person if body.person_id is None else person_get_for_actor(person, body.person_id)
    token, raw = run_command(
        services.api_token_issue,
        actor=person,
        person=owner,
        name=body.name,
        expires_at=body.expires_at,
    )
    return Status(
        201,
        {
            "id": token.pk,
            "person_id": token.person_id,
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
            "token": raw,
        },
    )
