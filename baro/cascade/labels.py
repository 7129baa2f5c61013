"""Words for the ledger actions of cascade, registered with the ledger when Django starts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "cascade.directive.sent": _("Gửi văn bản đến đơn vị để cụ thể hóa, triển khai"),
    "cascade.receipt.forwarded": _("Chuyển văn bản cho đơn vị trực thuộc"),
    "cascade.plan.issued": _("Ban hành kế hoạch thực hiện văn bản"),
    "cascade.deployment.recorded": _("Ghi nhận quán triệt, triển khai văn bản"),
    "cascade.acknowledgement.recorded": _("Xác nhận đã quán triệt"),
}
