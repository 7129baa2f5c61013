"""Words for the ledger actions of notify, registered with the ledger when Django starts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "notify.webhook.registered": _("Đăng ký địa chỉ nhận thông báo (webhook)"),
    "notify.webhook.disabled": _("Ngừng gửi thông báo đến webhook"),
    "notify.delivery.requeued": _("Gửi lại thông báo lỗi"),
}
