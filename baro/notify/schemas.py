"""Request and response bodies of the notifications API (/api/v1/notifications/).

Free-text fields default to "" so that a missing value reaches the service and comes back as
its own stable code (`notify.webhook_url_invalid`, with the field) rather than a generic
validation error. A webhook's secret is in the answer to its registration only. Lists page
like every list of the API (baro.core.paging).
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from baro.core.inputs import (
    MAX_IDS_PER_CALL,
    SHORT_TEXT_MAX,
    Id,
    max_length_of,
)
from baro.core.paging import Page, PageQuery
from baro.notify.models import WebhookEndpoint


class NotificationFilters(PageQuery):
    unread_only: bool = False


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    object_type: str
    object_id: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Page[NotificationOut]):
    """One window of my notifications, and how many of all of them I have not read."""

    unread: int


class MarkReadIn(Schema):
    ids: list[Id] | None = Field(
        None, description="Các thông báo cần đánh dấu", max_length=MAX_IDS_PER_CALL
    )
    all: bool = Field(False, description="Đánh dấu tất cả thông báo của tôi")


class MarkReadOut(Schema):
    marked: int
    unread: int


class PersonRef(Schema):
    id: int
    code: str
    full_name: str


class WebhookIn(Schema):
    url: str = Field(
        "",
        description="Địa chỉ http:// hoặc https:// nhận thông báo",
        max_length=max_length_of(WebhookEndpoint, "url"),
    )
    description: str = Field("", max_length=max_length_of(WebhookEndpoint, "description"))
    secret: str = Field(
        "",
        description="Để trống để Baro tự tạo (khuyến nghị)",
        max_length=max_length_of(WebhookEndpoint, "secret"),
    )


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    is_active: bool
    created_by: PersonRef
    created_at: dt.datetime
    disabled_at: dt.datetime | None


class WebhookPage(Page[WebhookOut]):
    """One window of the webhook endpoints."""


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(..., description="Khóa ký HMAC-SHA256; chỉ trả về một lần này")


class DeliveryFilters(PageQuery):
    status: str | None = Field(
        None, description="pending, sending, sent hoặc failed", max_length=SHORT_TEXT_MAX
    )
    channel: str | None = Field(None, description="email hoặc webhook", max_length=SHORT_TEXT_MAX)


class DeliveryOut(Schema):
    id: int
    notification_id: int
    channel: str
    address: str
    endpoint_id: int | None
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None
    last_error: str
    created_at: dt.datetime


class DeliveryPage(Page[DeliveryOut]):
    """One window of the outbox."""
