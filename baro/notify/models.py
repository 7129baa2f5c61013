"""Notifications: the in-app bell, and an outbox of deliveries by e-mail and webhook.

A domain command that wants people told calls baro.notify.services.notify() inside its own
transaction. That writes one `Notification` per recipient (what the bell and /thong-bao/ show)
and, in the same transaction, one `Delivery` per outside channel (an e-mail to the recipient,
a POST to each active `WebhookEndpoint`). The worker sends the deliveries later, outside any
transaction, and retries them with a backoff: so a command never waits for, nor fails because
of, an SMTP server or a webhook receiver, and nothing is sent for a command that rolled back.

Rows of this app are not domain state in the ledger's sense: a notification's `read_at` is the
person's own UI state, and a delivery's status is the outbox's bookkeeping (like a mail queue).
Only the administrator's acts (register or disable a webhook, re-queue a delivery) are
commands with a ledger event.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baro.org.models import Person


class Notification(models.Model):
    """One message to one person, shown by the bell until they mark it read.

    kind          a stable dotted code of what happened ("task.assigned"), for filters and
                  webhook receivers; the caller chooses it
    title, body   Vietnamese text, as written by the caller; the e-mail subject is the title
    url           where to look, usually a path of Baro ("/nhiem-vu/12/"); made absolute with
                  BARO_BASE_URL for e-mails and webhooks
    object_type,
    object_id     the object it is about, in the ledger's terms ("work.task", "12")
    read_at       when the person marked it read; null while unread
    """

    recipient = models.ForeignKey(
        Person,
        verbose_name="người nhận",
        on_delete=models.PROTECT,
        related_name="notifications",
        # The composite indexes below lead with the recipient and serve every lookup by it.
        db_index=False,
    )
    kind = models.CharField("loại", max_length=80)
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True, default="")
    url = models.TextField("đường dẫn", blank=True, default="")
    object_type = models.CharField("loại đối tượng", max_length=60, blank=True, default="")
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True, default="")
    created_at = models.DateTimeField("thời điểm tạo")
    read_at = models.DateTimeField("thời điểm đọc", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The bell's COUNT of unread rows of one person reads this index only.
            models.Index(fields=["recipient", "read_at"], name="notify_recipient_read_idx"),
            # The list, newest first, of one person.
            models.Index(fields=["recipient", "-id"], name="notify_recipient_newest_idx"),
        ]
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def link(self) -> str:
        """`url` when it is safe to put in a page's href (a path of Baro or an http(s) link;
        never a "javascript:" one), else ""."""
        url = self.url.strip()
        if url.startswith("/") and not url.startswith("//"):
            return url
        return url if url.lower().startswith(("http://", "https://")) else ""


class WebhookEndpoint(models.Model):
    """An outside system that receives every notification as a signed JSON POST.

    secret   the HMAC-SHA256 key of the X-Baro-Signature header; shown to the administrator
             once, right after registering, and never put in the ledger
    """

    # Not a URLField: its validator refuses single-label intranet hosts ("http://vpdt/hook")
    # that agencies use; services.admin._valid_url checks the scheme and host instead.
    url = models.CharField("địa chỉ nhận", max_length=500)
    secret = models.CharField("khóa ký", max_length=200)
    description = models.CharField("mô tả", max_length=300, blank=True, default="")
    is_active = models.BooleanField("đang dùng", default=True)
    created_by = models.ForeignKey(
        Person, verbose_name="người đăng ký", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("thời điểm đăng ký")
    disabled_at = models.DateTimeField("thời điểm tắt", null=True, blank=True)

    class Meta:
        ordering = ["-is_active", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=True, disabled_at__isnull=True)
                | Q(is_active=False, disabled_at__isnull=False),
                name="notify_webhook_disabled_at_iff_inactive",
            ),
        ]
        verbose_name = "điểm nhận webhook"
        verbose_name_plural = "điểm nhận webhook"

    def __str__(self) -> str:
        return self.url


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không được")


class Delivery(models.Model):
    """One notification to send through one outside channel: a row of the outbox.

    address          the e-mail address, taken when the notification was made (e-mail only)
    endpoint         the webhook endpoint (webhook only)
    status           pending → sending (claimed by a worker) → sent, or back to pending with a
                     later next_attempt_at after an error, or failed after the last attempt
    attempts         how many times a worker has claimed it to send
    next_attempt_at  when it is due (again)
    claimed_at,
    claim_token      which worker pass holds it since when: a pass marks only the rows of its
                     own token, and a row claimed long ago (its worker died) is due again
    last_error       the last error, kept after failure for the administrators
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.PROTECT, related_name="deliveries"
    )
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices)
    address = models.CharField("địa chỉ thư", max_length=254, blank=True, default="")
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name="điểm nhận",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    status = models.CharField(
        "trạng thái",
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    next_attempt_at = models.DateTimeField("lần gửi tới")
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, default="")
    sent_at = models.DateTimeField("thời điểm gửi được", null=True, blank=True)
    last_error = models.TextField("lỗi gần nhất", blank=True, default="")
    created_at = models.DateTimeField("thời điểm tạo")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(channel="email", endpoint__isnull=True) & ~Q(address="")
                    | Q(channel="webhook", endpoint__isnull=False, address="")
                ),
                name="notify_delivery_channel_target",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="notify_delivery_status"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="notify_delivery_sent_at_iff_sent",
            ),
        ]
        indexes = [
            # The worker's "what is due" scan.
            models.Index(fields=["status", "next_attempt_at"], name="notify_delivery_due_idx"),
        ]
        verbose_name = "lượt gửi"
        verbose_name_plural = "lượt gửi"

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} ({self.status})"
