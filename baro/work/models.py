"""Directives and tasks: what was ordered, to whom, by when, and how it ended ("3 rõ").

Rows here change only through baro.work.services. The rules that matter are also database
constraints, so that no code path can break them: a task has exactly one lead unit (a NOT NULL
foreign key, so zero or two leads cannot be stored), its status is one of the known states,
"completed" goes with a completion date and nothing else does, a deadline never precedes the
assignment, percentages stay within 0..100, an extension always moves the deadline later, and a
task has at most one open dispute and at most one pending extension request.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from baro.org.models import Person, Unit, UnitSystem
from baro.workdays.calendar import PeriodKind


class DirectiveKind(models.TextChoices):
    DIRECTIVE = "directive", _("Chỉ thị")
    RESOLUTION = "resolution", _("Nghị quyết")
    PLAN = "plan", _("Kế hoạch")
    CONCLUSION = "conclusion", _("Thông báo kết luận")
    OFFICIAL_LETTER = "official_letter", _("Công văn")


class Directive(models.Model):
    """A directing document (văn bản chỉ đạo) registered in Baro.

    number_symbol   as printed: "24-CT/TU", "3241/UBND-KGVX"; numbering restarts each year
                    (Nghị định 30/2020, Quy định 66-QĐ/TW), so the same number and symbol may
                    come back next year: the uniqueness is per issuing unit, number and year of
                    signing, enforced by an index on the expression year(signed_on) rather than
                    a copied year column that could drift from the date.
    requires_cascade  each receiving unit must issue its own plan within plan_days and deploy
                    it to every member within deploy_days (Directive 24-CT/TU: 1 and 2 weeks)
    registered_by   who entered it in Baro (the secretariat or the issuer)
    """

    number_symbol = models.CharField("số, ký hiệu", max_length=80)
    kind = models.CharField("loại văn bản", max_length=20, choices=DirectiveKind.choices)
    issuing_unit = models.ForeignKey(
        Unit, verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="directives"
    )
    signer = models.ForeignKey(
        Person,
        verbose_name="người ký",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directives_signed",
    )
    signed_on = models.DateField("ngày ký")
    title = models.CharField("trích yếu", max_length=500)
    summary = models.TextField("tóm tắt nội dung", blank=True, default="")
    requires_cascade = models.BooleanField("yêu cầu cụ thể hóa, triển khai", default=False)
    plan_days = models.PositiveSmallIntegerField("số ngày ban hành kế hoạch", default=7)
    deploy_days = models.PositiveSmallIntegerField("số ngày quán triệt, triển khai", default=14)
    registered_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="directives_registered"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "number_symbol"]
        constraints = [
            models.UniqueConstraint(
                F("issuing_unit"),
                F("number_symbol"),
                ExtractYear("signed_on"),
                name="work_directive_number_per_year",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DirectiveKind.values), name="work_directive_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(plan_days__gte=1) & Q(deploy_days__gte=F("plan_days")),
                name="work_directive_cascade_days",
            ),
        ]
        verbose_name = "văn bản chỉ đạo"
        verbose_name_plural = "văn bản chỉ đạo"

    def __str__(self) -> str:
        return f"{self.number_symbol} — {self.title}"


class TaskGroup(models.Model):
    """A heading grouping a directive's tasks ("I. Nhiệm vụ trọng tâm")."""

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField("tên nhóm nhiệm vụ", max_length=255)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["directive", "order", "pk"]
        verbose_name = "nhóm nhiệm vụ"
        verbose_name_plural = "nhóm nhiệm vụ"

    def __str__(self) -> str:
        return self.name


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Chờ tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    SUBMITTED = "submitted", _("Chờ duyệt kết quả")
    DISPUTED = "disputed", _("Tranh chấp thẩm quyền")
    COMPLETED = "completed", _("Hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Thường")
    HIGH = "high", _("Quan trọng")
    URGENT = "urgent", _("Khẩn")


class DeadlineRule(models.TextChoices):
    DATE = "date", _("Ngày cụ thể")
    CALENDAR_DAYS = "calendar_days", _("Số ngày kể từ ngày giao")
    WORKING_DAYS = "working_days", _("Số ngày làm việc kể từ ngày giao")
    PERIOD = "period", _("Trong kỳ (tháng, quý, 6 tháng, năm)")


class QualityGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Xuất sắc")
    GOOD = "good", _("Tốt")
    SATISFACTORY = "satisfactory", _("Đạt yêu cầu")
    UNSATISFACTORY = "unsatisfactory", _("Không đạt yêu cầu")


class EffectivenessGrade(models.TextChoices):
    HIGH = "high", _("Hiệu quả cao")
    EFFECTIVE = "effective", _("Có hiệu quả")
    LOW = "low", _("Hiệu quả thấp")
    NONE = "none", _("Không hiệu quả")


class Task(models.Model):
    """A task (nhiệm vụ): one lead unit, named coordinators, one officer, one deadline.

    lead_unit     the unit that leads and answers for it (đơn vị chủ trì); NOT NULL, and never
                  cleared: a refusal opens a dispute but keeps the lead until it is decided
    deadline      the current deadline (extensions move it); deadline_rule and its parameters
                  record how the original one was set ("trong 10 ngày làm việc", "quý III/2026")
    percent, last_progress_at   from the latest progress report (for "chưa cập nhật tiến độ")
    extension_count, bounce_count, return_count   how many extensions were approved, how many
                  times the task was refused, how many times its result was sent back: the
                  evidence the avoidance detectors and scorecards count
    is_innovation an approved innovative proposal (Nghị định 73/2023/NĐ-CP): its failure goes
                  to review, not to automatic penalty points
    """

    directive = models.ForeignKey(
        Directive, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    group = models.ForeignKey(
        TaskGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subtasks"
    )
    title = models.CharField("tên nhiệm vụ", max_length=500)
    description = models.TextField("nội dung", blank=True, default="")
    expected_output = models.TextField("sản phẩm", blank=True, default="")
    quality_criteria = models.TextField("yêu cầu chất lượng", blank=True, default="")
    priority = models.CharField(
        "mức độ ưu tiên", max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    is_new_difficult = models.BooleanField("việc mới, việc khó", default=False)
    is_innovation = models.BooleanField("đề xuất đổi mới, sáng tạo đã được duyệt", default=False)
    assigner = models.ForeignKey(
        Person, verbose_name="người giao", on_delete=models.PROTECT, related_name="tasks_assigned"
    )
    assigning_unit = models.ForeignKey(
        Unit, verbose_name="đơn vị giao", on_delete=models.PROTECT, related_name="tasks_assigned"
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name="đơn vị chủ trì", on_delete=models.PROTECT, related_name="tasks_led"
    )
    officer = models.ForeignKey(
        Person,
        verbose_name="cán bộ xử lý",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks_handled",
    )
    status = models.CharField(
        "trạng thái", max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )
    deadline = models.DateField("hạn xử lý")
    deadline_rule = models.CharField("cách tính hạn", max_length=16, choices=DeadlineRule.choices)
    deadline_days = models.PositiveIntegerField("số ngày", null=True, blank=True)
    deadline_period_kind = models.CharField(
        "loại kỳ", max_length=10, choices=PeriodKind.choices, blank=True, default=""
    )
    deadline_period_year = models.PositiveSmallIntegerField("năm của kỳ", null=True, blank=True)
    deadline_period_number = models.PositiveSmallIntegerField("số kỳ", null=True, blank=True)
    assigned_on = models.DateField("ngày giao")
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    percent = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    last_progress_at = models.DateTimeField("cập nhật tiến độ lần cuối", null=True, blank=True)
    quality_grade = models.CharField(
        "chất lượng", max_length=16, choices=QualityGrade.choices, blank=True, default=""
    )
    effectiveness_grade = models.CharField(
        "hiệu quả", max_length=16, choices=EffectivenessGrade.choices, blank=True, default=""
    )
    extension_count = models.PositiveSmallIntegerField("số lần gia hạn", default=0)
    bounce_count = models.PositiveSmallIntegerField("số lần từ chối", default=0)
    return_count = models.PositiveSmallIntegerField("số lần trả lại", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            # The lead unit's tasks by status and deadline, carrying the columns the timing
            # counts and "not updated" read, so counting a subtree never visits the table.
            models.Index(
                fields=[
                    "lead_unit",
                    "status",
                    "deadline",
                    "completed_on",
                    "last_progress_at",
                    "assigned_on",
                ],
                name="work_task_lead_cover_idx",
            ),
            # Every task in list order (deadline, id) with what the timing and subtree tests
            # read: a big list's first page is read in this order and stops after one page
            # (queries/lists.py, bench/tasks_list.py).
            models.Index(
                fields=["deadline", "id", "lead_unit", "status", "completed_on"],
                name="work_task_list_order_idx",
            ),
            models.Index(
                fields=["assigning_unit", "status", "deadline"], name="work_task_assigning_idx"
            ),
            models.Index(fields=["status", "deadline"], name="work_task_due_idx"),
            # The avoidance detectors' two partial indexes (baro/oversight/detectors/common.py
            # repeats their conditions literally: SQLite uses a partial index only then). Tasks
            # waiting for acceptance, by assignment date; open tasks at 0% with the dates the
            # "more than half of its time" test reads (status first, so SQLite's planner takes
            # it).
            models.Index(
                fields=["assigned_on"],
                condition=Q(status="assigned"),
                name="oversight_task_waiting_idx",
            ),
            models.Index(
                fields=["status", "deadline", "assigned_on"],
                condition=Q(percent=0, status__in=["assigned", "in_progress"]),
                name="oversight_task_zero_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values), name="work_task_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=TaskStatus.COMPLETED) & Q(completed_on__isnull=False))
                | (~Q(status=TaskStatus.COMPLETED) & Q(completed_on__isnull=True)),
                name="work_task_completed_iff_date",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("assigned_on")), name="work_task_deadline_after_assign"
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="work_task_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(deadline_rule__in=DeadlineRule.values),
                name="work_task_deadline_rule_valid",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="work_task_priority_valid"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="work_task_not_own_parent"),
        ]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"

    def __str__(self) -> str:
        return self.title


class TaskCoordinator(models.Model):
    """A coordinating unit (đơn vị phối hợp), its part of the work and its own sub-deadline.

    A coordinator is never the lead: checked by the services (a check constraint cannot see
    another table), at assignment and whenever a dispute moves the lead.
    """

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="coordinators")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="tasks_coordinated")
    part = models.TextField("phần việc phối hợp", blank=True, default="")
    sub_deadline = models.DateField("hạn phối hợp", null=True, blank=True)

    class Meta:
        ordering = ["task", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="work_coordinator_once"),
        ]
        verbose_name = "đơn vị phối hợp"
        verbose_name_plural = "đơn vị phối hợp"

    def __str__(self) -> str:
        return f"{self.unit} ({self.task})"


class ProgressReport(models.Model):
    """A progress report (báo cáo tiến độ), with a blocker that needs a decision, if any."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="progress_reports")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="progress_reports")
    percent = models.PositiveSmallIntegerField("tiến độ (%)")
    text = models.TextField("nội dung")
    blocker = models.TextField("vướng mắc, kiến nghị", blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="work_progress_percent_range",
            ),
        ]
        verbose_name = "báo cáo tiến độ"
        verbose_name_plural = "báo cáo tiến độ"

    def __str__(self) -> str:
        return f"{self.task}: {self.percent}%"


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("Chờ quyết định")
    APPROVED = "approved", _("Đồng ý gia hạn")
    REFUSED = "refused", _("Không đồng ý")


class Extension(models.Model):
    """A request to move a task's deadline (gia hạn), and the assigner's written decision."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="extensions_requested"
    )
    reason = models.TextField("lý do")
    old_deadline = models.DateField("hạn cũ")
    new_deadline = models.DateField("hạn đề nghị")
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extensions_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("ý kiến", blank=True, default="")

    class Meta:
        ordering = ["task", "requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_deadline__gt=F("old_deadline")), name="work_extension_later"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExtensionStatus.values), name="work_extension_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ExtensionStatus.REQUESTED)
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="work_extension_decided_has_decider",
            ),
            # Only the assigner's side decides: never the person who asked for it.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="work_extension_not_decided_by_requester",
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status=ExtensionStatus.REQUESTED),
                name="work_extension_one_pending",
            ),
        ]
        verbose_name = "gia hạn"
        verbose_name_plural = "gia hạn"

    def __str__(self) -> str:
        return f"{self.task}: {self.old_deadline} → {self.new_deadline}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Chờ quyết định")
    DECIDED = "decided", _("Đã quyết định")


class Dispute(models.Model):
    """An ownership dispute (tranh chấp thẩm quyền) opened by a refusal.

    decider_unit  the lowest common superior of the refusing and the proposed unit; its head
                  decides by `deadline`, and the decision binds (the chosen unit cannot refuse)
    """

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="disputes")
    refusing_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    refused_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    proposed_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("lý do từ chối")
    decider_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="disputes_to_decide"
    )
    deadline = models.DateField("hạn quyết định")
    opened_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    decided_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField("lý do quyết định", blank=True, default="")
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="disputes_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task", "opened_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DisputeStatus.values), name="work_dispute_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=DisputeStatus.OPEN)
                    & Q(decided_unit__isnull=True)
                    & Q(decided_by__isnull=True)
                )
                | (
                    Q(status=DisputeStatus.DECIDED)
                    & Q(decided_unit__isnull=False)
                    & Q(decided_by__isnull=False)
                    & Q(decided_at__isnull=False)
                ),
                name="work_dispute_decided_iff_unit",
            ),
            models.CheckConstraint(
                condition=~Q(refusing_unit=F("proposed_unit")), name="work_dispute_other_unit"
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status=DisputeStatus.OPEN),
                name="work_dispute_one_open",
            ),
        ]
        verbose_name = "tranh chấp thẩm quyền"
        verbose_name_plural = "tranh chấp thẩm quyền"

    def __str__(self) -> str:
        return f"{self.task}: {self.refusing_unit} → {self.proposed_unit}"


# --------------------------------------------------------------------------------------------
# collaboration: coordinator inputs, guidance requests, attachments
#
# These rows are also the evidence of the avoidance detectors (Công điện 280/CĐ-TTg): who was
# consulted, by when, whether they answered late, vaguely or not at all (silence counts as
# agreement), whether the same matter was asked twice, and whether a superior found that a
# question sent up was within the asking unit's own authority.


class InputPosition(models.TextChoices):
    AGREE = "agree", _("Đồng ý")
    DISAGREE = "disagree", _("Không đồng ý")
    AGREE_WITH_CHANGES = "agree_with_changes", _("Đồng ý, có ý kiến bổ sung, sửa đổi")


class InputRequest(models.Model):
    """The lead's request for a coordinating unit's input (xin ý kiến đơn vị phối hợp).

    unit            the coordinating unit asked (one of the task's TaskCoordinator units)
    due_on          the answer's deadline: the coordinator's sub-deadline unless given; past it
                    with no answer, silence counts as agreement and the silent unit answers for
                    it (Công điện 280/CĐ-TTg) — see is_silent()
    question_hash   sha256 of the normalised question: the same matter asked of the same unit on
                    the same task again is allowed but linked by repeat_of (evidence of
                    "consulting the same matter twice")
    position, answer, answered_*   the coordinator's answer, once
    unclear_*       the lead found the answer gave no clear position (a vague answer: evidence)
    """

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="input_requests")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="input_requests")
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    question = models.TextField("nội dung xin ý kiến")
    question_hash = models.CharField(max_length=64, db_index=True)
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats"
    )
    due_on = models.DateField("hạn trả lời")
    requested_at = models.DateTimeField(auto_now_add=True)
    position = models.CharField(
        "ý kiến", max_length=20, choices=InputPosition.choices, blank=True, default=""
    )
    answer = models.TextField("nội dung trả lời", blank=True, default="")
    answered_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    unclear_marked_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unclear_marked_at = models.DateTimeField(null=True, blank=True)
    unclear_note = models.TextField("nhận xét", blank=True, default="")

    class Meta:
        ordering = ["task", "requested_at", "pk"]
        indexes = [models.Index(fields=["due_on", "answered_at"], name="work_input_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(position="") | Q(position__in=InputPosition.values),
                name="work_input_position_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(position="") & Q(answered_by__isnull=True) & Q(answered_at__isnull=True)
                )
                | (~Q(position="") & Q(answered_by__isnull=False) & Q(answered_at__isnull=False)),
                name="work_input_answered_iff_position",
            ),
            models.CheckConstraint(
                condition=Q(unclear_marked_at__isnull=True) | Q(answered_at__isnull=False),
                name="work_input_unclear_after_answer",
            ),
            models.CheckConstraint(
                condition=~Q(repeat_of=F("id")), name="work_input_not_own_repeat"
            ),
        ]
        verbose_name = "xin ý kiến đơn vị phối hợp"
        verbose_name_plural = "xin ý kiến đơn vị phối hợp"

    def __str__(self) -> str:
        return f"{self.task} → {self.unit}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_unclear(self) -> bool:
        return self.unclear_marked_at is not None


class GuidanceRequest(models.Model):
    """A request for guidance (xin ý kiến chỉ đạo) sent up by the lead unit to a superior.

    asking_unit     the lead unit when it asked (the lead may later change by a dispute)
    superior_unit   an ancestor of the asking unit, by default the assigning unit
    due_on          when an answer is expected (BARO_GUIDANCE_ANSWER_WORKING_DAYS by default)
    within_unit_authority   the answerer found the matter was the asking unit's own to decide
                    ("thuộc thẩm quyền của đơn vị"): evidence of sending up a matter within
                    one's own authority (Công điện 280/CĐ-TTg)
    question_hash, repeat_of   as InputRequest: the same question on the same task again
    """

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="guidance_requests")
    asking_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    superior_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="guidance_requests"
    )
    asked_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    question = models.TextField("nội dung xin ý kiến")
    question_hash = models.CharField(max_length=64, db_index=True)
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats"
    )
    due_on = models.DateField("hạn trả lời")
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField("ý kiến chỉ đạo", blank=True, default="")
    within_unit_authority = models.BooleanField("thuộc thẩm quyền của đơn vị", default=False)
    answered_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task", "asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_by__isnull=True) & Q(answered_at__isnull=True))
                | (~Q(answer="") & Q(answered_by__isnull=False) & Q(answered_at__isnull=False)),
                name="work_guidance_answered_iff_text",
            ),
            models.CheckConstraint(
                condition=Q(within_unit_authority=False) | Q(answered_at__isnull=False),
                name="work_guidance_authority_mark_answered",
            ),
            models.CheckConstraint(
                condition=~Q(superior_unit=F("asking_unit")), name="work_guidance_upward"
            ),
            models.CheckConstraint(
                condition=~Q(repeat_of=F("id")), name="work_guidance_not_own_repeat"
            ),
        ]
        verbose_name = "xin ý kiến chỉ đạo"
        verbose_name_plural = "xin ý kiến chỉ đạo"

    def __str__(self) -> str:
        return f"{self.task} ↑ {self.superior_unit}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Attachment(models.Model):
    """A file attached to a task (optionally to one of its progress reports, guidance or input
    requests) or to a directive.

    The file lives under settings.DATA_DIR / "attachments" / sha256[:2] / sha256, named by its
    content hash and never by the uploader's name (which is kept in original_name only for
    display): no path tricks, and the same file uploaded twice is stored once.
    content_type    the type Baro determined from the extension and the file's own bytes, not
                    the browser's claim; downloads are served with it
    """

    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    directive = models.ForeignKey(
        Directive, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    progress_report = models.ForeignKey(
        ProgressReport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    guidance_request = models.ForeignKey(
        GuidanceRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    input_request = models.ForeignKey(
        InputRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64, db_index=True)
    stored_path = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False) | Q(directive__isnull=False),
                name="work_attachment_has_owner",
            ),
            models.CheckConstraint(
                condition=(
                    Q(progress_report__isnull=True)
                    & Q(guidance_request__isnull=True)
                    & Q(input_request__isnull=True)
                )
                | Q(task__isnull=False),
                name="work_attachment_part_of_task",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="work_attachment_not_empty"),
        ]
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self) -> str:
        return self.original_name


# --------------------------------------------------------------------------------------------
# assignment lines: which part of the political system may make which the lead of a task


class LineReach(models.TextChoices):
    NONE = "", _("Không được giao chủ trì")
    BELOW = "below", _("Đơn vị cấp dưới")
    LEVEL = "level", _("Đơn vị cùng cấp và cấp dưới")


class AssignmentLine(models.Model):
    """May a unit of `assigner_system` make a unit of `lead_system` the lead of a task, and
    how far: `reach` "below" (the assigning unit's own tree), "level" (the tree of its
    superior: the bodies at its level and below), or "" (never). A rule an administrator
    changes (assignment_line_set), one row per pair; the defaults are baro.work.lines
    .DEFAULT_LINES, seeded by a migration. Coordination is not limited by it.
    """

    assigner_system = models.CharField(
        _("khối đơn vị giao"), max_length=20, choices=UnitSystem.choices
    )
    lead_system = models.CharField(
        _("khối đơn vị chủ trì"), max_length=20, choices=UnitSystem.choices
    )
    reach = models.CharField(
        _("phạm vi giao"), max_length=10, choices=LineReach.choices, blank=True, default=""
    )
    note = models.CharField(_("căn cứ, ghi chú"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["assigner_system", "lead_system"]
        constraints = [
            models.UniqueConstraint(
                fields=["assigner_system", "lead_system"], name="work_assignment_line_once"
            ),
            models.CheckConstraint(
                condition=Q(reach__in=LineReach.values), name="work_assignment_line_reach_valid"
            ),
        ]
        verbose_name = "tuyến giao nhiệm vụ"
        verbose_name_plural = "tuyến giao nhiệm vụ"

    def __str__(self) -> str:
        return f"{self.assigner_system} → {self.lead_system}: {self.reach or '-'}"
