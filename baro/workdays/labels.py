"""Words for the ledger actions of workdays, registered with the ledger when Django starts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "workdays.override.set": _("Điều chỉnh lịch làm việc"),
    "workdays.override.removed": _("Bỏ điều chỉnh lịch làm việc"),
}
