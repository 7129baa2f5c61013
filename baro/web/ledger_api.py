"""REST endpoints of the ledger (/api/v1/ledger/): read and verify, for holders of ledger.read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema

from baro.core.errors import AuthorityError
from baro.ledger import queries
from baro.ledger.canonical import DEFAULT_CHAIN
from baro.ledger.verify import verify_database
from baro.org.api_auth import request_person
from baro.org.authority import Power, holds_anywhere

router = Router(tags=["Sổ cái"])

MAX_LIMIT = 500


def _require_reader(request: HttpRequest) -> None:
    decision = holds_anywhere(request_person(request), Power.LEDGER_READ)
    if not decision:
        raise AuthorityError(decision.reason, details={"power": str(Power.LEDGER_READ)})


class EventFilters(Schema):
    action: str | None = None
    actor: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    seq_from: int | None = None
    seq_to: int | None = None
    limit: int | None = None
    offset: int = 0


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


class EventPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EventOut]


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


class CheckpointPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CheckpointOut]


def _page(limit: int | None, offset: int) -> tuple[int, int]:
    size = limit or settings.BARO_PAGE_SIZE
    return max(1, min(size, MAX_LIMIT)), max(0, offset)


@router.get("/events", response=EventPage, summary="Danh sách sự kiện, mới nhất trước")
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> dict[str, Any]:
    _require_reader(request)
    limit, offset = _page(filters.limit, filters.offset)
    events = queries.event_list(
        action=filters.action,
        actor=filters.actor,
        object_type=filters.object_type,
        object_id=filters.object_id,
        seq_from=filters.seq_from,
        seq_to=filters.seq_to,
    )
    return {
        "count": events.count(),
        "limit": limit,
        "offset": offset,
        "items": list(events[offset : offset + limit]),
    }


@router.get("/checkpoints", response=CheckpointPage, summary="Các điểm chốt đã ký")
def list_checkpoints(
    request: HttpRequest, limit: int | None = None, offset: int = 0
) -> dict[str, Any]:
    _require_reader(request)
    limit, offset = _page(limit, offset)
    checkpoints = queries.checkpoint_list()
    return {
        "count": checkpoints.count(),
        "limit": limit,
        "offset": offset,
        "items": list(checkpoints[offset : offset + limit]),
    }


@router.get("/verify", summary="Kiểm tra toàn vẹn sổ cái trong cơ sở dữ liệu")
def verify(request: HttpRequest, chain: str = DEFAULT_CHAIN) -> dict[str, Any]:
    _require_reader(request)
    return verify_database(chain=chain).as_dict()
