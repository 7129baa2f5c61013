"""REST endpoints of notifications (/api/v1/notifications/).

Thin: a person reads and marks their own notifications; administrators (registry.manage held
anywhere) list and register webhook endpoints, disable them, read the outbox and re-queue a
failed delivery. Services raise DomainError, which baro.api turns into JSON `{code, message}`
with its status (403 `auth.denied`, 400 `notify.webhook_url_invalid`, 409
`notify.delivery_not_failed`…).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from baro.notify import queries, services
from baro.notify.models import Delivery, WebhookEndpoint
from baro.notify.schemas import (
    DeliveryFilters,
    DeliveryOut,
    DeliveryPage,
    MarkReadIn,
    MarkReadOut,
    NotificationFilters,
    NotificationPage,
    WebhookCreatedOut,
    WebhookIn,
    WebhookOut,
)
from baro.org.api_auth import request_person

router = Router(tags=["Thông báo"])

MAX_LIMIT = 500


def _page(qs: QuerySet[Any], limit: int | None, offset: int) -> dict[str, Any]:
    size = max(1, min(limit or settings.BARO_PAGE_SIZE, MAX_LIMIT))
    start = max(0, offset)
    return {
        "count": qs.count(),
        "limit": size,
        "offset": start,
        "items": list(qs[start : start + size]),
    }


@router.get("/", response=NotificationPage, summary="Thông báo của tôi, mới nhất trước")
def notification_list(request: HttpRequest, filters: Query[NotificationFilters]) -> dict[str, Any]:
    person = request_person(request)
    page = _page(
        queries.notifications_for(person, unread_only=filters.unread_only),
        filters.limit,
        filters.offset,
    )
    page["unread"] = queries.unread_count(person)
    return page


@router.post(
    "/read",
    response=MarkReadOut,
    summary="Đánh dấu đã đọc: các thông báo `ids`, hoặc tất cả (`all`)",
)
def mark_read(request: HttpRequest, body: MarkReadIn) -> dict[str, Any]:
    person = request_person(request)
    ids = None if body.all else (body.ids or [])
    marked = services.notification_mark_read(person=person, ids=ids)
    return {"marked": marked, "unread": queries.unread_count(person)}


@router.get("/webhooks", response=list[WebhookOut], summary="Các điểm nhận webhook (quản trị)")
def webhook_list(request: HttpRequest) -> QuerySet[WebhookEndpoint]:
    return queries.webhook_list(actor=request_person(request))


@router.post(
    "/webhooks",
    response={201: WebhookCreatedOut},
    summary="Đăng ký điểm nhận webhook (khóa ký chỉ trả về một lần, trong câu trả lời này)",
)
def webhook_register(request: HttpRequest, body: WebhookIn) -> Any:
    endpoint = services.webhook_register(
        actor=request_person(request),
        url=body.url,
        description=body.description,
        secret=body.secret,
    )
    return Status(201, endpoint)


@router.post(
    "/webhooks/{endpoint_id}/disable", response=WebhookOut, summary="Tắt điểm nhận webhook"
)
def webhook_disable(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    person = request_person(request)
    endpoint = queries.webhook_get(actor=person, pk=endpoint_id)
    return services.webhook_disable(actor=person, endpoint=endpoint)


@router.get("/deliveries", response=DeliveryPage, summary="Các lượt gửi (quản trị)")
def delivery_list(request: HttpRequest, filters: Query[DeliveryFilters]) -> dict[str, Any]:
    rows = queries.delivery_list(
        actor=request_person(request), status=filters.status, channel=filters.channel
    )
    return _page(rows, filters.limit, filters.offset)


@router.post(
    "/deliveries/{delivery_id}/requeue",
    response=DeliveryOut,
    summary="Đưa một lượt gửi không thành công vào hàng chờ gửi lại",
)
def delivery_requeue(request: HttpRequest, delivery_id: int) -> Delivery:
    person = request_person(request)
    delivery = queries.delivery_get(actor=person, pk=delivery_id)
    return services.delivery_requeue(actor=person, delivery=delivery)
