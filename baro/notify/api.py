"""REST endpoints of notifications (/api/v1/notifications/).

Thin: a person reads and marks their own notifications; administrators (registry.manage held
anywhere) list and register webhook endpoints, disable them, read the outbox and re-queue a
failed delivery. An endpoint or a delivery is fetched through its `*_get_for_actor`
(baro.notify.permissions) before any command runs; every write runs through run_command (its
transaction). Commands raise DomainError, which baro.api turns into JSON `{code, message}`
with its status (403 `auth.denied`, 404 `not_found`, 400 `notify.webhook_url_invalid`, 409
`notify.delivery_not_failed`…). Lists page like every list of the API (baro.core.paging).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from baro.core.paging import PageQuery, page
from baro.core.run import run_command
from baro.notify import queries, services
from baro.notify.models import Delivery, WebhookEndpoint
from baro.notify.permissions import delivery_get_for_actor, webhook_get_for_actor
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
    WebhookPage,
)
from baro.org.api_auth import request_person

router = Router(tags=["Thông báo"])


@router.get("/", response=NotificationPage, summary="Thông báo của tôi, mới nhất trước")
def notification_list(request: HttpRequest, filters: Query[NotificationFilters]) -> dict[str, Any]:
    person = request_person(request)
    mine = page(queries.notifications_for(person, unread_only=filters.unread_only), filters)
    return {**mine, "unread": queries.unread_count(person)}


@router.post(
    "/read",
    response=MarkReadOut,
    summary="Đánh dấu đã đọc: các thông báo `ids`, hoặc tất cả (`all`)",
)
def mark_read(request: HttpRequest, body: MarkReadIn) -> dict[str, Any]:
    person = request_person(request)
    ids = None if body.all else (body.ids or [])
    marked = run_command(services.notification_mark_read, person=person, ids=ids)
    return {"marked": marked, "unread": queries.unread_count(person)}


@router.get("/webhooks", response=WebhookPage, summary="Các điểm nhận webhook (quản trị)")
def webhook_list(request: HttpRequest, window: Query[PageQuery]) -> dict[str, Any]:
    return page(queries.webhook_list(actor=request_person(request)), window)


@router.post(
    "/webhooks",
    response={201: WebhookCreatedOut},
    summary="Đăng ký điểm nhận webhook (khóa ký chỉ trả về một lần, trong câu trả lời này)",
)
def webhook_register(request: HttpRequest, body: WebhookIn) -> Any:
    endpoint = run_command(
        services.webhook_register,
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
    endpoint = webhook_get_for_actor(actor=person, pk=endpoint_id)
    return run_command(services.webhook_disable, actor=person, endpoint=endpoint)


@router.get("/deliveries", response=DeliveryPage, summary="Các lượt gửi (quản trị)")
def delivery_list(request: HttpRequest, filters: Query[DeliveryFilters]) -> dict[str, Any]:
    rows = queries.delivery_list(
        actor=request_person(request), status=filters.status, channel=filters.channel
    )
    return page(rows, filters)


@router.post(
    "/deliveries/{delivery_id}/requeue",
    response=DeliveryOut,
    summary="Đưa một lượt gửi không thành công vào hàng chờ gửi lại",
)
def delivery_requeue(request: HttpRequest, delivery_id: int) -> Delivery:
    person = request_person(request)
    delivery = delivery_get_for_actor(actor=person, pk=delivery_id)
    return run_command(services.delivery_requeue, actor=person, delivery=delivery)
