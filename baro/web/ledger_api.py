"""REST endpoints of the ledger (/api/v1/ledger/): read and verify, for holders of ledger.read."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from baro.core.errors import AuthorityError
from baro.core.inputs import (
    MAX_ID,
    SHORT_TEXT_MAX,
)
from baro.core.paging import Page, PageQuery, page
from baro.ledger import queries
from baro.ledger.canonical import DEFAULT_CHAIN
from baro.ledger.verify import verify_database
from baro.org.api_auth import request_person
from baro.org.authority import Power, holds_anywhere

router = Router(tags=["Sổ cái"])


def _require_reader(request: HttpRequest) -> None:
    decision = holds_anywhere(request_person(request), Power.LEDGER_READ)
    if not decision:
        raise AuthorityError(decision.reason, details={"power": str(Power.LEDGER_READ)})


class EventFilters(PageQuery):
    action: str | None = Field(None, max_length=SHORT_TEXT_MAX)
    actor: str | None = Field(None, max_length=SHORT_TEXT_MAX)
    object_type: str | None = Field(None, max_length=SHORT_TEXT_MAX)
    object_id: str | None = Field(None, max_length=SHORT_TEXT_MAX)
    seq_from: int | None = Field(None, ge=1, le=MAX_ID)
    seq_to: int | None = Field(None, ge=1, le=MAX_ID)


class EventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor: str
    on_behalf_of: str
    action: str
    object_type: str
    object_id: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class EventPage(Page[EventOut]):
    pass


class CheckpointOut(Schema):
    number: int
    seq_from: int
    seq_to: int
    merkle_root: str
    head_hash: str
    prev_checkpoint_digest: str
    key_id: str
    signed_at: dt.datetime
    body: str
    signature: str


class CheckpointPage(Page[CheckpointOut]):
    pass


@router.get("/events", response=EventPage, summary="Danh sách sự kiện, mới nhất trước")
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> dict[str, Any]:
    _require_reader(request)
    events = queries.event_list(
        action=filters.action,
        actor=filters.actor,
        object_type=filters.object_type,
        object_id=filters.object_id,
        seq_from=filters.seq_from,
        seq_to=filters.seq_to,
    )
    return page(events, filters)


@router.get("/checkpoints", response=CheckpointPage, summary="Các điểm chốt đã ký")
def list_checkpoints(request: HttpRequest, window: Query[PageQuery]) -> dict[str, Any]:
    _require_reader(request)
    return page(queries.checkpoint_list(), window)


@router.get("/verify", summary="Kiểm tra toàn vẹn sổ cái trong cơ sở dữ liệu")
def verify(
    request: HttpRequest, chain: Annotated[str, Field(max_length=SHORT_TEXT_MAX)] = DEFAULT_CHAIN
) -> dict[str, Any]:
    _require_reader(request)
    return verify_database(chain=chain).as_dict()
