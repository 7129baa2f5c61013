"""The promises of the demo's 24-CT/TU story (every state, every timing cell, something on
every account's plate, a ledger that verifies), checked after one load of the demo.

Two test modules check them, on today's date and on awkward days, so the checks live here
rather than in either of them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from baro.core.timeutil import now, today
from baro.demo import load_demo
from baro.demo.loader import DEMO_ACCOUNTS
from baro.demo.story.oversight import HANDLING_NUMBER, LETTER_NUMBER
from baro.ledger.models import LedgerEvent
from baro.ledger.verify import verify_database
from baro.org.authority import Power, check
from baro.org.models import Person, Unit, UnitKind
from baro.org.queries import unit_head
from baro.oversight.models import (
    AUTOMATIC_STEPS,
    Flag,
    FlagStatus,
    HandlingDecision,
    HandlingMeasure,
    Inspection,
    InspectionStatus,
    LadderStep,
    Urging,
    UrgingLetter,
)
from baro.oversight.queries import letter_content, responsibility_record
from baro.work.models import (
    DeadlineRule,
    Directive,
    DirectiveKind,
    Dispute,
    DisputeStatus,
    Extension,
    ExtensionStatus,
    Task,
    TaskStatus,
)
from baro.work.rules import OPEN_STATUSES, TimingStatus, not_updated, timing_status
from baro.workdays.calendar import PeriodKind, working_days_between

# Accounts whose work is not tasks: the administrator keeps the registry and the ledger.
NO_TASK_WORK = {"admin"}


def the_story_keeps_its_promises() -> None:
    """One load (a few seconds), then each promise of the story in turn."""
    demo = load_demo(seed=24)
    assert "Chỉ thị 24-CT/TU" in demo
    assert "1 cuộc kiểm tra có quyết định xử lý" in demo
    day = today()
    tasks = list(Task.objects.select_related("lead_unit", "assigner"))
    check_the_documents_are_placed_five_months_back(day)
    check_every_status_and_every_timing_cell(tasks, day)
    check_overdue_silence_and_stalls_are_visible(tasks, day)
    check_returns_extensions_and_bounces(tasks)
    check_every_deadline_rule_and_mark(tasks)
    check_every_demo_account_has_something_on_its_plate()
    check_the_third_clear_is_told(day)
    check_the_ledger_verifies_and_the_story_runs_forward()


def check_the_documents_are_placed_five_months_back(day: dt.date) -> None:
    directive = Directive.objects.get(number_symbol="24-CT/TU")
    assert directive.kind == DirectiveKind.DIRECTIVE
    assert directive.issuing_unit.code == "HN-TU"
    assert directive.signer is not None and directive.signer.user.username == "bithu"
    assert 145 <= (day - directive.signed_on).days <= 160
    assert directive.groups.count() == 3 and directive.requires_cascade
    plans = Directive.objects.filter(kind=DirectiveKind.PLAN)
    assert {plan.issuing_unit.code for plan in plans} == {"HN-UBND", "HN-STC"}
    finance = plans.get(issuing_unit__code="HN-STC")
    assert finance.registered_by.user.username == "vanthu.stc"
    for plan in plans:
        assert plan.signed_on >= directive.signed_on
        assert plan.tasks.exists() and plan.groups.exists()


def check_every_status_and_every_timing_cell(tasks: list[Task], day: dt.date) -> None:
    assert {task.status for task in tasks} == set(TaskStatus.values)
    assert {timing_status(task, day) for task in tasks} == set(TimingStatus)
    completed = [task for task in tasks if task.status == TaskStatus.COMPLETED]
    assert all(task.quality_grade and task.effectiveness_grade for task in completed)
    assert all(task.completed_on and task.completed_on < day for task in completed)


def check_overdue_silence_and_stalls_are_visible(tasks: list[Task], day: dt.date) -> None:
    overdue = [t for t in tasks if timing_status(t, day) == TimingStatus.IN_PROGRESS_OVERDUE]
    silent = [t for t in overdue if t.status == TaskStatus.IN_PROGRESS and not_updated(t, day)]
    assert silent, "an accepted task overdue and not updated for weeks"
    assert any((day - timezone.localtime(t.last_progress_at).date()).days > 21 for t in silent)
    assert any(not not_updated(t, day) for t in overdue), "an overdue task still reporting"
    waiting = [t for t in tasks if t.status == TaskStatus.ASSIGNED]
    assert any((day - t.assigned_on).days >= 30 for t in waiting), "long unaccepted"
    # "Just assigned": within the last three working days (after Tết that is two weeks).
    assert any(working_days_between(t.assigned_on, day) <= 3 for t in waiting), "just assigned"
    stalled = [
        t
        for t in tasks
        if t.status == TaskStatus.IN_PROGRESS
        and t.percent == 0
        and (day - t.assigned_on) * 2 > (t.deadline - t.assigned_on)
        and day <= t.deadline
    ]
    assert stalled, "a task at 0% past half its time"


def check_returns_extensions_and_bounces(tasks: list[Task]) -> None:
    assert any(t.return_count >= 2 and t.status == TaskStatus.SUBMITTED for t in tasks)
    assert any(t.return_count == 1 and t.status == TaskStatus.COMPLETED for t in tasks)
    assert any(t.extension_count >= 2 for t in tasks)
    statuses = set(Extension.objects.values_list("status", flat=True))
    assert statuses == set(ExtensionStatus.values)
    decided = Dispute.objects.get(status=DisputeStatus.DECIDED)
    assert decided.refusing_unit.kind == decided.proposed_unit.kind == "department"
    assert decided.decided_by.user.username == "chutich"
    assert decided.task.lead_unit == decided.decided_unit
    assert decided.task.status == TaskStatus.COMPLETED and decided.task.bounce_count == 1
    deciders = {
        unit_head(dispute.decider_unit).person.user.username
        for dispute in Dispute.objects.filter(status=DisputeStatus.OPEN)
    }
    assert deciders == {"chutich", "bithu"}
    cancelled = next(t for t in tasks if t.status == TaskStatus.CANCELLED)
    event = LedgerEvent.objects.get(action="work.task.cancelled", object_id=str(cancelled.pk))
    assert event.payload["reason"]


def check_every_deadline_rule_and_mark(tasks: list[Task]) -> None:
    assert {t.deadline_rule for t in tasks} == set(DeadlineRule.values)
    periods = {t.deadline_period_kind for t in tasks if t.deadline_rule == DeadlineRule.PERIOD}
    assert periods == {PeriodKind.MONTH, PeriodKind.QUARTER}
    assert sum(t.is_innovation for t in tasks) == 1
    assert sum(t.is_new_difficult for t in tasks) >= 3
    assert {t.priority for t in tasks} == {"normal", "high", "urgent"}
    with_parts = Task.objects.filter(coordinators__sub_deadline__isnull=False).distinct()
    assert with_parts.count() >= 5
    assert all(t.expected_output for t in tasks)
    assert {t.lead_unit.kind for t in tasks} >= {"department", "commune", "division"}


def _plate(person: Person) -> dict[str, int]:
    """What `person` has to act on: to handle, to approve or decide, to decide a dispute."""
    open_tasks = Task.objects.filter(
        status__in=[TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS]
    ).select_related("lead_unit")
    to_handle = sum(
        1
        for task in open_tasks
        if task.officer_id == person.pk or check(person, Power.TASK_HANDLE, task.lead_unit)
    )
    to_approve = Task.objects.filter(assigner=person, status=TaskStatus.SUBMITTED).count()
    to_approve += Extension.objects.filter(
        task__assigner=person, status=ExtensionStatus.REQUESTED
    ).count()
    to_decide = sum(
        1
        for dispute in Dispute.objects.filter(status=DisputeStatus.OPEN)
        if unit_head(dispute.decider_unit).person_id == person.pk
    )
    registered = Task.objects.filter(
        directive__registered_by=person, status__in=OPEN_STATUSES
    ).count()
    return {
        "handle": to_handle,
        "approve": to_approve,
        "decide": to_decide,
        "registered": registered,
    }


def check_every_demo_account_has_something_on_its_plate() -> None:
    plates = {
        account.username: _plate(Person.objects.get(user__username=account.username))
        for account in DEMO_ACCOUNTS
    }
    empty = {name for name, plate in plates.items() if not any(plate.values())}
    assert empty == NO_TASK_WORK, plates
    assert plates["bithu"]["decide"] and plates["bithu"]["approve"]
    assert plates["chutich"]["decide"] and plates["chutich"]["approve"]
    assert plates["phochutich"]["approve"] >= 2
    assert plates["giamdoc.stc"]["handle"] and plates["giamdoc.stc"]["approve"]
    assert plates["chuyenvien.stc"]["handle"] >= 2
    assert plates["vanthu.stc"]["registered"]
    assert plates["chutich.hoankiem"]["handle"] and plates["chutich.hoankiem"]["approve"]
    for name in ("kiemtra", "mttq", "phogiamdoc.stc"):
        assert plates[name]["handle"], name


def check_the_third_clear_is_told(day: dt.date) -> None:
    """The worker watched the story: every ladder step happened, signs of avoidance were raised
    with their evidence and weighed by the inspector, a letter urged the city's units with
    overdue tasks, and the Finance Director finds the inspection and the criticism on his
    record."""
    steps = set(Urging.objects.values_list("step", flat=True))
    # The last step (the flag for inspection, 15 working days overdue) may not be reached when
    # the demo is loaded right after a long holiday.
    assert set(AUTOMATIC_STEPS) - {LadderStep.INSPECTION_FLAG} <= steps, steps
    assert Urging.objects.filter(step=LadderStep.MANUAL, letter__isnull=True).exists()
    # Each urging of the ladder is dated by the morning pass that recorded it, in the past.
    assert not Urging.objects.filter(created_at__gt=now()).exists()
    kinds = set(Flag.objects.values_list("kind", flat=True))
    assert len(kinds) >= 5, kinds
    assert not Flag.objects.filter(evidence__isnull=True).exists(), "every flag has evidence"
    decided = {flag.status: flag for flag in Flag.objects.exclude(status=FlagStatus.OPEN)}
    assert set(decided) == {FlagStatus.CONFIRMED, FlagStatus.DISMISSED}
    assert all(flag.decision_reason and flag.decided_by for flag in decided.values())
    # Flags are left open for a user to weigh, on a unit whose head has a login.
    assert Flag.objects.filter(
        status=FlagStatus.OPEN, unit__code__in=("HN-STC", "HN-P-HOANKIEM")
    ).exists()

    letter = UrgingLetter.objects.get(number_symbol=LETTER_NUMBER)
    cited = list(letter.urgings.select_related("task__lead_unit"))
    city = Unit.objects.get(code="HN-UBND")
    assert cited and all(u.task.lead_unit.path.startswith(city.path) for u in cited)
    assert all(u.task.deadline < letter.issued_on for u in cited)
    # Written to the departments and wards (not their divisions), every row citing the
    # document that assigned it; "Nơi nhận" as NĐ 30/2020 lays it out.
    content = letter_content(letter)
    addressed = Unit.objects.filter(name__in=content.addressees)
    assert addressed.exists() and not addressed.filter(kind=UnitKind.DIVISION).exists()
    assert all(row.source for row in content.tasks)
    lines = letter.recipients.splitlines()
    assert len(lines) >= 2 and lines[0] == "- Như trên;" and lines[-1].startswith("- Lưu: VT")

    director = Person.objects.get(user__username="giamdoc.stc")
    inspection = Inspection.objects.get(target_person=director)
    assert inspection.status == InspectionStatus.CONCLUDED
    # Inspected by the Thành ủy's inspection committee, where the inspector works (their
    # inspecting remit is the whole city).
    assert inspection.inspecting_unit.code == "HN-TU-UBKT"
    assert inspection.findings and inspection.conclusion
    assert inspection.evidence.filter(task__isnull=False).exists()
    record = responsibility_record(director)
    assert inspection in record.inspections
    handling = HandlingDecision.objects.get(inspection=inspection)
    assert (handling.measure, handling.document_number) == (
        HandlingMeasure.CRITICISM,
        HANDLING_NUMBER,
    )
    assert handling in record.handlings and handling.document_date < day


def check_the_ledger_verifies_and_the_story_runs_forward() -> None:
    report = verify_database()
    assert report.ok, report
    first = LedgerEvent.objects.filter(action="work.directive.registered").order_by("seq").first()
    assert first is not None
    story = list(
        LedgerEvent.objects.filter(seq__gte=first.seq)
        .order_by("seq")
        .values_list("occurred_at", flat=True)
    )
    assert story == sorted(story), "the story reaches the ledger in time order"
    assert story[-1] < now() and story[0] < now() - dt.timedelta(days=140)
    # One event per command: every task has its assignment event, and nothing else wrote.
    assigned = LedgerEvent.objects.filter(action="work.task.assigned").count()
    assert assigned == Task.objects.count()
    assert not LedgerEvent.objects.filter(
        Q(occurred_at__gt=now()) | Q(action__startswith="work.", seq__lt=first.seq)
    ).exists()
