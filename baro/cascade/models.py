"""Cascade of a directive down the tree: each receiving unit's plan, its deployment, and every
member's acknowledgement (đã quán triệt). Rows change only through baro.cascade.services.

Directive 24-CT/TU asks each receiving unit to issue its own implementation plan within one
week of receiving a directive and to deploy it to every member within two weeks; each member
then acknowledges that they studied it ("đã quán triệt"). The directive carries the two
figures (Directive.plan_days, default 7, and Directive.deploy_days, default 14).

The rules that matter are database constraints as well, so that no code path breaks them: a
unit receives a directive once; the dues never precede the day it was sent; a plan is
recorded with its number and date together and never before the directive was sent; a
deployment comes with its form and its member count, only after a plan and never before it;
a member acknowledges a receipt once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from baro.org.models import Person, Unit
from baro.work.models import Directive


class DeploymentForm(models.TextChoices):
    CONFERENCE = "conference", _("Hội nghị quán triệt, triển khai")
    ONLINE = "online", _("Hội nghị trực tuyến")
    MEETING = "meeting", _("Họp cơ quan, chi bộ")


class DirectiveReceipt(models.Model):
    """A directive as one unit received it, and what that unit did with it.

    parent          the receipt it was forwarded from (a unit sending the directive on to its
                    own sub-units); null when the issuer sent it directly
    sent_on         the day the unit received it; the dues count from here
    plan_due        sent_on + plan_days calendar days, moved to the next working day when it
                    falls on a day off (BLDS 2015, Điều 148, as every calendar-day deadline in
                    Baro): 24-CT/TU speaks of "1 tuần" and "2 tuần", i.e. calendar weeks
    deploy_due      sent_on + deploy_days, computed the same way
    plan_*          the unit's own plan (kế hoạch thực hiện): number and symbol, date, title
    deployed_on     the day it was deployed to the members (hội nghị quán triệt, họp chi bộ…)
    member_count    how many members the unit had that day (a snapshot: the list of who has
                    acknowledged is always read against the current members)
    """

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="receipts")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị nhận", on_delete=models.PROTECT, related_name="receipts"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="chuyển từ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwards",
    )
    sent_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="receipts_sent")
    sent_on = models.DateField("ngày nhận")
    plan_due = models.DateField("hạn ban hành kế hoạch")
    deploy_due = models.DateField("hạn quán triệt, triển khai")
    plan_number_symbol = models.CharField(
        "số, ký hiệu kế hoạch", max_length=80, blank=True, default=""
    )
    plan_title = models.CharField("trích yếu kế hoạch", max_length=500, blank=True, default="")
    plan_issued_on = models.DateField("ngày ban hành kế hoạch", null=True, blank=True)
    plan_recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deployed_on = models.DateField("ngày quán triệt, triển khai", null=True, blank=True)
    deployment_form = models.CharField(
        "hình thức", max_length=20, choices=DeploymentForm.choices, blank=True, default=""
    )
    deployment_note = models.TextField("ghi chú", blank=True, default="")
    member_count = models.PositiveIntegerField("số cán bộ khi triển khai", null=True, blank=True)
    deployment_recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["directive", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="cascade_receipt_once"),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="cascade_receipt_not_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(plan_due__gte=F("sent_on")) & Q(deploy_due__gte=F("plan_due")),
                name="cascade_receipt_dues_order",
            ),
            models.CheckConstraint(
                condition=(
                    Q(plan_issued_on__isnull=True, plan_number_symbol="")
                    | (
                        Q(plan_issued_on__isnull=False, plan_issued_on__gte=F("sent_on"))
                        & ~Q(plan_number_symbol="")
                    )
                ),
                name="cascade_receipt_plan_complete",
            ),
            models.CheckConstraint(
                condition=(
                    Q(deployed_on__isnull=True, member_count__isnull=True, deployment_form="")
                    | (
                        Q(deployed_on__isnull=False, member_count__isnull=False)
                        & Q(deployment_form__in=DeploymentForm.values)
                        & Q(plan_issued_on__isnull=False)
                        & Q(deployed_on__gte=F("plan_issued_on"))
                    )
                ),
                name="cascade_receipt_deployment_after_plan",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "deployed_on"], name="cascade_receipt_unit_idx"),
        ]
        verbose_name = "văn bản đơn vị nhận triển khai"
        verbose_name_plural = "văn bản đơn vị nhận triển khai"

    def __str__(self) -> str:
        return f"{self.directive.number_symbol} → {self.unit.name}"


class Acknowledgement(models.Model):
    """A member's "đã quán triệt" on a receipt of their unit: once, with the moment."""

    receipt = models.ForeignKey(
        DirectiveReceipt, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="acknowledgements")
    acknowledged_at = models.DateTimeField("thời điểm xác nhận")

    class Meta:
        ordering = ["receipt", "acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["receipt", "person"], name="cascade_ack_once"),
        ]
        indexes = [models.Index(fields=["person", "receipt"], name="cascade_ack_person_idx")]
        verbose_name = "xác nhận đã quán triệt"
        verbose_name_plural = "xác nhận đã quán triệt"

    def __str__(self) -> str:
        return f"{self.person} — {self.receipt}"
