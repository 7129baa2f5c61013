"""The administrator's corrections to the working-day calendar.

Vietnamese public holidays and the Government's swapped days come from the `holidays` package;
an administrator adds what it does not know yet (next year's Tết plan, a day off decided by the
Prime Minister at short notice, a province's own compensatory Saturday) as a CalendarOverride.

Overrides are removed by closing them (revoked_at), never by deleting the row:
- the calendar that produced a deadline stays answerable from the table itself ("why was this
  due on 05/05?"), not only by replaying the ledger;
- rows only ever get inserted or closed, so (max id, max revoked_at) changes with every edit and
  other processes can tell cheaply that their cached calendar is stale (see calendar.py).
"One override per day" therefore holds among the active rows (a conditional unique constraint);
a day can be set again after its override was removed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class CalendarOverride(models.Model):
    """One day whose working status an administrator decided, with the document that says so.

    day            the calendar day (Asia/Ho_Chi_Minh) it applies to
    kind           HOLIDAY makes a working day a day off; WORKING_DAY makes a weekend day or a
                   holiday a working day (a compensatory Saturday)
    reason         why, in Vietnamese, as shown to users ("Làm bù cho ngày 02/5/2025")
    decision_ref   the document deciding it ("Thông báo số 6150/TB-LĐTBXH"), may be empty
    set_by         who added it; the ledger event names the same person
    revoked_at / revoked_by / revoke_reason   set when the override is removed; the row stays
    """

    day = models.DateField("ngày")
    kind = models.CharField("loại điều chỉnh", max_length=16, choices=OverrideKind.choices)
    reason = models.CharField("lý do", max_length=255)
    decision_ref = models.CharField("căn cứ (văn bản)", max_length=255, blank=True, default="")
    set_by = models.ForeignKey(
        "org.Person",
        verbose_name="người thiết lập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField("gỡ bỏ lúc", null=True, blank=True)
    revoked_by = models.ForeignKey(
        "org.Person",
        verbose_name="người gỡ bỏ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField("lý do gỡ bỏ", max_length=255, blank=True, default="")

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = "điều chỉnh lịch làm việc"
        verbose_name_plural = "điều chỉnh lịch làm việc"
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=Q(revoked_at__isnull=True),
                name="workdays_one_active_override_per_day",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OverrideKind.values), name="workdays_override_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="workdays_override_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
