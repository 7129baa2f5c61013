"""Oversight: the urging ladder, responsibility flags, inspections and handling decisions.

The third clear of Directive 24-CT/TU ("rõ kết quả kiểm tra, đôn đốc, xử lý người đứng đầu").
Invariants the database enforces as well as the commands (baro.oversight.services):

- a ladder step happens once per task and deadline: (task, deadline, step) is unique for every
  automatic step, so two workers racing on PostgreSQL cannot record the same urging twice, and
  a new deadline (after an extension) starts a new ladder; a dispute's steps are recorded on
  its task at the dispute's deadline (a later dispute of the same task has a later deadline:
  it opens only after the earlier one is decided);
- a ladder configuration's steps are ordered and not negative (remind before the deadline,
  urge at it, then escalate to the lead's head, to the assigner's head, then flag);
- a flag is raised once per behaviour and subject (`dedupe_key` is unique);
- a decided flag names who decided, when and why; a handling decision names its document.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from baro.ledger.models import LedgerEvent
from baro.org.models import Person, Unit
from baro.work.models import Directive, Task


class LadderConfig(models.Model):
    """When each ladder step happens, in working days around the task's deadline.

    The row without a directive is the installation's default; a row with a directive
    overrides it for that directive's tasks. No row at all: the defaults below (Baro's
    choice, not a legal figure; Hà Nội's rule of "more than 3 urgings" is the urging count
    that sends a task to the leadership, see BARO_URGINGS_BEFORE_LEADERSHIP).
    """

    directive = models.OneToOneField(
        Directive,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ladder_config",
        verbose_name=_("văn bản chỉ đạo"),
    )
    # "installation" or "directive:<id>": one configuration per scope (a unique NULL directive
    # cannot say "one installation default" on SQLite).
    scope = models.CharField(max_length=40, unique=True)
    remind_days_before = models.PositiveSmallIntegerField(
        _("nhắc cán bộ xử lý trước hạn (ngày làm việc)"), default=3
    )
    escalate_head_after = models.PositiveSmallIntegerField(
        _("báo người đứng đầu đơn vị chủ trì sau khi quá hạn (ngày làm việc)"), default=3
    )
    escalate_assigner_head_after = models.PositiveSmallIntegerField(
        _("báo người đứng đầu đơn vị giao việc sau khi quá hạn (ngày làm việc)"), default=7
    )
    inspection_flag_after = models.PositiveSmallIntegerField(
        _("đưa vào diện kiểm tra sau khi quá hạn (ngày làm việc)"), default=15
    )
    updated_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(remind_days_before__gte=1)
                & Q(escalate_head_after__gte=1)
                & Q(escalate_assigner_head_after__gt=F("escalate_head_after"))
                & Q(inspection_flag_after__gt=F("escalate_assigner_head_after")),
                name="oversight_ladder_steps_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.scope


class LadderStep(models.TextChoices):
    REMIND = "remind", _("Nhắc trước hạn")
    URGE = "urge", _("Đôn đốc khi đến hạn")
    ESCALATE_HEAD = "escalate_head", _("Báo người đứng đầu đơn vị chủ trì")
    ESCALATE_ASSIGNER_HEAD = "escalate_assigner_head", _("Báo người đứng đầu đơn vị giao việc")
    INSPECTION_FLAG = "inspection_flag", _("Đưa vào diện kiểm tra")
    MANUAL = "manual", _("Lãnh đạo đôn đốc")
    DISPUTE_URGE = "dispute_urge", _("Đôn đốc quyết định tranh chấp quá hạn")
    DISPUTE_ESCALATE = "dispute_escalate", _("Báo cấp trên của người quyết định tranh chấp")


# The steps the ladder takes by itself, in the order they happen.
AUTOMATIC_STEPS: tuple[str, ...] = (
    LadderStep.REMIND,
    LadderStep.URGE,
    LadderStep.ESCALATE_HEAD,
    LadderStep.ESCALATE_ASSIGNER_HEAD,
    LadderStep.INSPECTION_FLAG,
)
# The steps the ladder takes by itself on an ownership dispute left undecided past its deadline
# (the task waits meanwhile): the decider is urged, then the head above the decider is told.
# Recorded on the disputed task, at the dispute's deadline, addressed to the decider's unit and
# the unit above it; they are not urgings of the task's lead (URGING_STEPS).
DISPUTE_STEPS: tuple[str, ...] = (LadderStep.DISPUTE_URGE, LadderStep.DISPUTE_ESCALATE)
# What counts as an urging of a unit (Hà Nội counts urgings, not reminders or flags).
URGING_STEPS: frozenset[str] = frozenset(
    {
        LadderStep.URGE,
        LadderStep.ESCALATE_HEAD,
        LadderStep.ESCALATE_ASSIGNER_HEAD,
        LadderStep.MANUAL,
    }
)


class UrgingLetter(models.Model):
    """An official urging letter (công văn đôn đốc): the data it was issued with, so the
    .docx/.pdf rendered later are the same document every time."""

    issuing_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=80)
    place = models.CharField(_("địa danh"), max_length=80)
    issued_on = models.DateField(_("ngày ban hành"))
    subject = models.CharField(_("trích yếu"), max_length=300)
    opening = models.TextField(_("căn cứ, tình hình"))
    closing = models.TextField(_("yêu cầu"))
    reply_by = models.DateField(_("hạn báo cáo"))
    signer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    signer_mark = models.CharField(_("quyền hạn ký"), max_length=80, blank=True, default="")
    signer_position = models.CharField(_("chức vụ người ký"), max_length=120)
    recipients = models.TextField(_("nơi nhận"), blank=True, default="")
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "number_symbol"], name="oversight_letter_number_once"
            ),
        ]

    def __str__(self) -> str:
        return self.number_symbol


class Urging(models.Model):
    """One step of the ladder, or a leader's urging by hand, on one task."""

    # Three foreign keys without their own index: the task's lookups use (task, deadline)
    # below, nothing looks urgings up by who recorded them, and a letter's urgings have a
    # partial index (the ladder's own urgings have no letter). Each index is one more page
    # written per ladder step (bench/worker_pass.py).
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="urgings", db_index=False)
    deadline = models.DateField(_("hạn được đôn đốc"))
    step = models.CharField(_("bước"), max_length=32, choices=LadderStep.choices)
    target_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="urgings")
    target_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="urgings_received"
    )
    urged_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", db_index=False)
    note = models.TextField(_("nội dung"), blank=True, default="")
    letter = models.ForeignKey(
        UrgingLetter,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="urgings",
        db_index=False,
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["task", "deadline"], name="oversight_urging_task_idx"),
            models.Index(
                fields=["letter"],
                condition=Q(letter__isnull=False),
                name="oversight_urging_letter_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "deadline", "step"],
                condition=~Q(step="manual"),
                name="oversight_ladder_step_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.task_id}"


class FlagKind(models.TextChoices):
    BOUNCED = "bounced", _("Đùn đẩy: nhiệm vụ bị từ chối, chuyển qua lại")
    NOT_ACCEPTED = "not_accepted", _("Chậm tiếp nhận nhiệm vụ")
    REPEATED_EXTENSIONS = "repeated_extensions", _("Gia hạn nhiều lần")
    EXTENSION_RATE = "extension_rate", _("Tỷ lệ xin gia hạn cao bất thường")
    REPEATED_RETURNS = "repeated_returns", _("Kết quả bị trả lại nhiều lần")
    GUIDANCE_WITHIN_AUTHORITY = (
        "guidance_within_authority",
        _("Xin ý kiến cấp trên việc thuộc thẩm quyền"),
    )
    COORDINATOR_SILENT = "coordinator_silent", _("Đơn vị phối hợp không trả lời đúng hạn")
    COORDINATOR_VAGUE = "coordinator_vague", _("Đơn vị phối hợp trả lời không rõ quan điểm")
    NEEDLESS_CONSULTATION = "needless_consultation", _("Xin ý kiến không cần thiết, trùng lặp")
    URGED_STILL_OVERDUE = "urged_still_overdue", _("Vẫn quá hạn sau hơn 3 lần đôn đốc")
    OVERDUE_NOT_UPDATED = "overdue_not_updated", _("Quá hạn và không cập nhật tiến độ")
    STALLED_AT_ZERO = "stalled_at_zero", _("Tiến độ 0% khi đã quá nửa thời hạn")
    LADDER_INSPECTION = "ladder_inspection", _("Quá hạn kéo dài, đưa vào diện kiểm tra")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Chờ xem xét")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    DISMISSED = "dismissed", _("Đã bác bỏ")


class Flag(models.Model):
    """A sign of avoidance (dấu hiệu né tránh, đùn đẩy) on a unit, a head or an officer, with
    the evidence behind it, for an inspector or the superior to confirm or dismiss."""

    kind = models.CharField(_("loại dấu hiệu"), max_length=40, choices=FlagKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    dedupe_key = models.CharField(max_length=160, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="flags")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    summary = models.TextField(_("mô tả"))
    figures = models.JSONField(_("số liệu"), default=dict, blank=True)
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("lý do"), blank=True, default="")

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["status", "kind"], name="oversight_flag_status_idx"),
            models.Index(fields=["unit", "status"], name="oversight_flag_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    ~Q(status="open")
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                    & ~Q(decision_reason="")
                ),
                name="oversight_flag_decision_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.unit}"


class FlagEvidence(models.Model):
    """One piece of a flag's evidence: a task, a ledger event, or both."""

    flag = models.ForeignKey(Flag, on_delete=models.PROTECT, related_name="evidence")
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        LedgerEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False) | Q(event__isnull=False),
                name="oversight_evidence_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.flag_id}: {self.note}"


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Đang kiểm tra")
    CONCLUDED = "concluded", _("Đã kết luận")


class Inspection(models.Model):
    """An inspection of a unit or a person over a period, with its evidence and conclusion."""

    inspecting_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    target_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspections")
    target_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    title = models.CharField(_("tên cuộc kiểm tra"), max_length=300)
    period_from = models.DateField(_("thời kỳ kiểm tra từ"))
    period_to = models.DateField(_("đến"))
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    findings = models.TextField(_("kết quả kiểm tra"), blank=True, default="")
    conclusion = models.TextField(_("kết luận"), blank=True, default="")
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    concluded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=F("period_from")), name="oversight_inspection_period"
            ),
            models.CheckConstraint(
                condition=Q(status="planned", concluded_at__isnull=True)
                | (Q(status="concluded", concluded_at__isnull=False) & ~Q(conclusion="")),
                name="oversight_inspection_conclusion_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InspectionEvidence(models.Model):
    """A flag or a task an inspection cites."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="evidence")
    flag = models.ForeignKey(
        Flag, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(flag__isnull=False, task__isnull=True)
                | Q(flag__isnull=True, task__isnull=False),
                name="oversight_inspection_evidence_one",
            ),
            models.UniqueConstraint(
                fields=["inspection", "flag"],
                condition=Q(flag__isnull=False),
                name="oversight_inspection_flag_once",
            ),
            models.UniqueConstraint(
                fields=["inspection", "task"],
                condition=Q(task__isnull=False),
                name="oversight_inspection_task_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.note}"


class HandlingMeasure(models.TextChoices):
    REMINDER = "reminder", _("Nhắc nhở")
    CRITICISM = "criticism", _("Phê bình")
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức, miễn nhiệm")
    TRANSFER = "transfer", _("Chuyển cơ quan có thẩm quyền xử lý")


class HandlingDecision(models.Model):
    """A handling decision of an inspection, on a person (usually the head) or a unit, with
    the number and date of the document that carries it."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="handling_decisions"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="handling_decisions")
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handling_decisions",
    )
    measure = models.CharField(_("hình thức"), max_length=16, choices=HandlingMeasure.choices)
    document_number = models.CharField(_("số văn bản"), max_length=80)
    document_date = models.DateField(_("ngày văn bản"))
    reason = models.TextField(_("lý do"))
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-document_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(document_number="") & ~Q(reason=""),
                name="oversight_handling_documented",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.document_number}"
