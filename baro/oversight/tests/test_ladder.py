"""The urging ladder over simulated time: every day from assignment to long past the deadline,
across weekends and Tết 2026, each step once, in order, on its day; a new ladder after an
extension; nothing for tasks that left the lead's hands."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.db import connection

from baro.core.errors import AuthorityError, DomainError
from baro.ledger.labels import action_label
from baro.ledger.models import LedgerEvent
from baro.notify.models import Notification
from baro.org.models import UnitKind, system_person
from baro.org.services import unit_create
from baro.oversight import services
from baro.oversight.ladder import (
    DEFAULT_LADDER,
    Ladder,
    latest_due_deadline,
    step_day,
    validated_ladder,
)
from baro.oversight.ladder_pass import run_ladder
from baro.oversight.models import (
    AUTOMATIC_STEPS,
    DISPUTE_STEPS,
    Flag,
    FlagKind,
    LadderConfig,
    LadderStep,
    Urging,
)
from baro.oversight.queries.record import responsibility_record
from baro.oversight.services.ladder import step_statements
from baro.testing.oversight import START, at
from baro.testing.work import WorkWorld, assign
from baro.work import services as work
from baro.work.models import DeadlineRule, Dispute, Task
from baro.workdays.calendar import is_working_day, working_days_between
from baro.worker import run_pass

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2026, 2, 12)  # Thursday before Tết: the escalations fall after the holiday


def expected_day(ladder: Ladder, step: str, deadline: dt.date, first: dt.date) -> dt.date | None:
    """The first day on or after `first` on which `step` is due, from its definition alone."""
    day = first
    for _ in range(200):
        if step == LadderStep.REMIND:
            if day >= deadline:
                return None
            if working_days_between(day, deadline) <= ladder.remind_days_before:
                return day
        elif step == LadderStep.URGE:
            if day >= deadline:
                return day
        elif working_days_between(deadline, day) >= ladder.offset(step):
            return day
        day += dt.timedelta(days=1)
    raise AssertionError("no day found")


def live_through(clock: Any, first: dt.date, last: dt.date) -> dict[dt.date, list[str]]:
    """Run the ladder once a day (weekends and holidays included, as a worker would)."""
    seen: dict[dt.date, list[str]] = {}
    day = first
    while day <= last:
        clock.move_to(at(day))
        before = set(Urging.objects.values_list("pk", flat=True))
        run_ladder(day)
        new = Urging.objects.exclude(pk__in=before).order_by("pk")
        if new:
            seen[day] = [u.step for u in new]
        day += dt.timedelta(days=1)
    return seen


def a_task(ww: WorkWorld, deadline: dt.date = DEADLINE, **kw: Any) -> Task:
    return assign(
        ww,
        officer=ww.w.officer,
        deadline_rule=DeadlineRule.DATE,
        deadline=deadline,
        **kw,
    )


def test_each_step_once_in_order_on_its_day_across_tet(ww: WorkWorld, clock: Any) -> None:
    task = a_task(ww)
    work.task_accept(actor=ww.w.head, task=task)
    seen = live_through(clock, START, dt.date(2026, 3, 31))

    days = {step: day for day, steps in seen.items() for step in steps}
    assert sorted(step for steps in seen.values() for step in steps) == sorted(AUTOMATIC_STEPS)
    for step in AUTOMATIC_STEPS:
        assert days[step] == expected_day(DEFAULT_LADDER, step, DEADLINE, START), step
        assert days[step] == step_day(DEFAULT_LADDER, step, DEADLINE)
        assert is_working_day(days[step]), (step, days[step])
    # In the ladder's order, on distinct days, and the holiday pushed the escalations out.
    ordered = [days[step] for step in AUTOMATIC_STEPS]
    assert ordered == sorted(ordered) and len(set(ordered)) == len(ordered)
    assert days[LadderStep.REMIND] == dt.date(2026, 2, 9)
    assert days[LadderStep.URGE] == DEADLINE
    assert days[LadderStep.ESCALATE_HEAD] == dt.date(2026, 2, 24)  # 13/02, 23/02, 24/02
    assert days[LadderStep.ESCALATE_ASSIGNER_HEAD] == dt.date(2026, 3, 2)
    assert days[LadderStep.INSPECTION_FLAG] == dt.date(2026, 3, 12)

    # Whom each step addressed, and one ledger event per step naming it.
    by_step = {u.step: u for u in Urging.objects.filter(task=task)}
    assert by_step[LadderStep.REMIND].target_person == ww.w.officer
    assert by_step[LadderStep.ESCALATE_HEAD].target_person == ww.w.head
    assert by_step[LadderStep.ESCALATE_ASSIGNER_HEAD].target_person == ww.city_head
    assert by_step[LadderStep.ESCALATE_ASSIGNER_HEAD].target_unit == ww.root
    events = LedgerEvent.objects.filter(action__startswith="oversight.ladder.", object_id=task.pk)
    assert sorted(e.action for e in events) == sorted(
        f"oversight.ladder.{s}" for s in AUTOMATIC_STEPS
    )
    assert all(e.actor == "system:baro-system" for e in events)
    # The last step raised the inspection flag; each step told its addressee in the app.
    flag = Flag.objects.get(task=task)
    assert flag.kind == FlagKind.LADDER_INSPECTION and flag.unit == ww.dept_a
    assert Notification.objects.filter(recipient=ww.w.officer, kind="oversight.remind").count() == 1
    assert (
        Notification.objects.filter(
            recipient=ww.city_head, kind="oversight.escalate_assigner_head"
        ).count()
        == 1
    )


def test_an_extension_starts_a_new_ladder(ww: WorkWorld, clock: Any) -> None:
    task = a_task(ww)
    work.task_accept(actor=ww.w.head, task=task)
    live_through(clock, START, dt.date(2026, 2, 25))  # reminded, urged, head told
    assert set(Urging.objects.filter(task=task).values_list("step", flat=True)) == {
        LadderStep.REMIND,
        LadderStep.URGE,
        LadderStep.ESCALATE_HEAD,
    }
    new_deadline = dt.date(2026, 3, 20)
    extension = work.extension_request(
        actor=ww.w.head, task=task, new_deadline=new_deadline, reason="Chờ số liệu quý I"
    )
    work.extension_decide(actor=ww.city_head, extension=extension, approve=True)
    seen = live_through(clock, dt.date(2026, 2, 26), dt.date(2026, 4, 30))
    steps = [step for steps in seen.values() for step in steps]
    assert sorted(steps) == sorted(AUTOMATIC_STEPS)  # the whole ladder again, once
    for day, day_steps in seen.items():
        for step in day_steps:
            assert day == expected_day(DEFAULT_LADDER, step, new_deadline, dt.date(2026, 2, 26))
    assert Urging.objects.filter(task=task, deadline=DEADLINE).count() == 3
    assert Urging.objects.filter(task=task, deadline=new_deadline).count() == 5


def test_a_missed_day_catches_up_in_order_without_a_late_reminder(
    ww: WorkWorld, clock: Any
) -> None:
    task = a_task(ww)
    clock.move_to(at(dt.date(2026, 3, 3)))
    counts = run_ladder(dt.date(2026, 3, 3))  # first pass long after the deadline
    assert counts == {
        LadderStep.URGE: 1,
        LadderStep.ESCALATE_HEAD: 1,
        LadderStep.ESCALATE_ASSIGNER_HEAD: 1,
    }
    steps = list(Urging.objects.filter(task=task).order_by("pk").values_list("step", flat=True))
    assert steps == [LadderStep.URGE, LadderStep.ESCALATE_HEAD, LadderStep.ESCALATE_ASSIGNER_HEAD]
    assert run_ladder(dt.date(2026, 3, 3)) == {}  # a second pass the same day: nothing


def test_no_ladder_when_finished_submitted_or_cancelled(ww: WorkWorld, clock: Any) -> None:
    done = a_task(ww, title="Đã xong")
    work.task_accept(actor=ww.w.head, task=done)
    work.task_submit(actor=ww.w.head, task=done)
    work.task_approve(
        actor=ww.city_head, task=done, quality_grade="good", effectiveness_grade="effective"
    )
    waiting = a_task(ww, title="Chờ duyệt")
    work.task_accept(actor=ww.w.head, task=waiting)
    work.task_submit(actor=ww.w.head, task=waiting)
    cancelled = a_task(ww, title="Đã hủy")
    work.task_cancel(actor=ww.city_head, task=cancelled, reason="Không còn cần thiết")
    live_through(clock, START, dt.date(2026, 3, 20))
    assert not Urging.objects.exists()


def test_a_directive_ladder_overrides_the_installation_one(ww: WorkWorld, clock: Any) -> None:
    directive = work.directive_register(
        actor=ww.secretary,
        number_symbol="24-CT/TU",
        kind="directive",
        issuing_unit=ww.root,
        signer=ww.city_head,
        signed_on=dt.date(2026, 1, 5),
        title="Chỉ thị về 3 rõ",
    )
    services.ladder_configure(
        actor=ww.city_head,
        directive=directive,
        values={
            "remind_days_before": 1,
            "escalate_head_after": 1,
            "escalate_assigner_head_after": 2,
            "inspection_flag_after": 3,
        },
    )
    strict = a_task(ww, title="Theo chỉ thị", directive=directive)
    plain = a_task(ww, title="Thường")
    seen = live_through(clock, START, dt.date(2026, 2, 27))
    strict_days = {
        u.step: u.created_at.astimezone(at(START).tzinfo).date()
        for u in Urging.objects.filter(task=strict)
    }
    plain_days = {
        u.step: u.created_at.astimezone(at(START).tzinfo).date()
        for u in Urging.objects.filter(task=plain)
    }
    assert seen
    assert strict_days[LadderStep.REMIND] == dt.date(2026, 2, 11)
    assert strict_days[LadderStep.INSPECTION_FLAG] == dt.date(2026, 2, 24)  # 13, 23, 24/02
    assert plain_days[LadderStep.REMIND] == dt.date(2026, 2, 9)
    assert LadderStep.INSPECTION_FLAG not in plain_days


# --------------------------------------------------------------------------------------------
# configuration


GOOD = {
    "remind_days_before": 2,
    "escalate_head_after": 2,
    "escalate_assigner_head_after": 5,
    "inspection_flag_after": 10,
}


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"remind_days_before": -1}, "oversight.ladder_negative", "remind_days_before"),
        ({"escalate_head_after": 0}, "oversight.ladder_negative", "escalate_head_after"),
        (
            {"escalate_assigner_head_after": 2},
            "oversight.ladder_overlap",
            "escalate_assigner_head_after",
        ),
        ({"inspection_flag_after": 4}, "oversight.ladder_overlap", "inspection_flag_after"),
        ({"inspection_flag_after": "mười"}, "oversight.ladder_invalid", "inspection_flag_after"),
    ],
)
def test_bad_ladders_are_refused_and_change_nothing(
    ww: WorkWorld, change: dict[str, Any], code: str, field: str
) -> None:
    before = LedgerEvent.objects.count()
    with pytest.raises(DomainError) as info:
        services.ladder_configure(actor=ww.w.admin, values={**GOOD, **change})
    assert (info.value.code, info.value.field) == (code, field)
    assert not LadderConfig.objects.exists()
    assert LedgerEvent.objects.count() == before


def test_installation_ladder_by_admin_only_with_one_event(ww: WorkWorld) -> None:
    with pytest.raises(AuthorityError):
        services.ladder_configure(actor=ww.city_head, values=GOOD)
    with pytest.raises(AuthorityError):
        services.ladder_configure(actor=ww.w.officer, values=GOOD)
    before = LedgerEvent.objects.count()
    services.ladder_configure(actor=ww.w.admin, values=GOOD)
    services.ladder_configure(actor=ww.w.admin, values={**GOOD, "inspection_flag_after": 12})
    assert LadderConfig.objects.get().inspection_flag_after == 12  # one row, updated
    events = LedgerEvent.objects.order_by("seq")[before:]
    assert [e.action for e in events] == ["oversight.ladder.configured"] * 2
    assert events[1].payload["before"]["inspection_flag_after"] == 10


def test_directive_ladder_only_by_its_issuing_side(ww: WorkWorld) -> None:
    directive = work.directive_register(
        actor=ww.secretary,
        number_symbol="25-CT/TU",
        kind="directive",
        issuing_unit=ww.root,
        signer=ww.city_head,
        signed_on=dt.date(2026, 1, 5),
        title="Chỉ thị khác",
    )
    for outsider in (ww.w.head, ww.w.officer, ww.w.outsider):
        with pytest.raises(AuthorityError):
            services.ladder_configure(actor=outsider, directive=directive, values=GOOD)
    services.ladder_configure(actor=ww.secretary, directive=directive, values=GOOD)
    assert LadderConfig.objects.get().scope == f"directive:{directive.pk}"


def _candidate(ww: WorkWorld, task: Task) -> services.LadderCandidate:
    return services.LadderCandidate(
        task_id=task.pk,
        deadline=task.deadline,
        title=task.title,
        lead_unit_id=task.lead_unit_id,
        assigning_unit_id=task.assigning_unit_id,
        officer_id=task.officer_id,
        lead_head_id=ww.w.head.pk,
        assigning_head_id=ww.city_head.pk,
    )


def test_only_the_system_records_ladder_steps(ww: WorkWorld, clock: Any) -> None:
    task = a_task(ww)
    candidate = _candidate(ww, task)
    with pytest.raises(AuthorityError) as info:
        services.ladder_step_record(
            actor=ww.city_head, candidate=candidate, step=LadderStep.URGE, people={}
        )
    assert info.value.code == "oversight.system_only"
    assert not Urging.objects.exists()


def test_latest_due_deadline_is_the_inverse_of_step_day() -> None:
    """For every day of 2026 and every step: step_day(d) <= day exactly when d <= threshold."""
    ladder = Ladder(2, 3, 6, 11)
    day = dt.date(2026, 1, 1)
    while day <= dt.date(2026, 12, 31):
        for step in AUTOMATIC_STEPS:
            threshold = latest_due_deadline(ladder, step, day)
            assert step_day(ladder, step, threshold) <= day
            assert step_day(ladder, step, threshold + dt.timedelta(days=1)) > day
        day += dt.timedelta(days=9)


def test_validated_ladder_accepts_strings_from_forms() -> None:
    assert validated_ladder({k: str(v) for k, v in GOOD.items()}) == Ladder(**GOOD)


def test_a_task_with_a_deadline_far_away_is_left_alone(ww: WorkWorld, clock: Any) -> None:
    task = a_task(ww, deadline=dt.date(2026, 6, 30))
    clock.move_to(at(START))
    assert run_ladder(START) == {}
    assert not task.urgings.exists()


def test_a_step_stores_the_row_the_model_describes_once(ww: WorkWorld, clock: Any) -> None:
    """The step's one-statement insert names the model's columns and stores what the ORM
    would; the same step again, or a candidate whose deadline moved, records nothing."""
    task = a_task(ww)
    system = system_person()
    clock.move_to(at(DEADLINE))
    candidate = _candidate(ww, task)
    people = {ww.w.officer.pk: ww.w.officer}
    events = LedgerEvent.objects.count()
    urging = services.ladder_step_record(
        actor=system, candidate=candidate, step=LadderStep.URGE, people=people
    )
    assert urging is not None
    stored = Urging.objects.get()
    for f in Urging._meta.concrete_fields:
        assert getattr(stored, f.attname) == getattr(urging, f.attname), f.name
    assert (stored.task_id, stored.deadline, stored.step) == (task.pk, DEADLINE, "urge")
    assert (stored.target_unit_id, stored.target_person_id) == (
        task.lead_unit_id,
        ww.w.officer.pk,
    )
    assert stored.urged_by_id == system.pk and stored.letter_id is None
    assert LedgerEvent.objects.count() == events + 1
    assert Notification.objects.filter(recipient=ww.w.officer, kind="oversight.urge").count() == 1

    again = services.ladder_step_record(
        actor=system, candidate=candidate, step=LadderStep.URGE, people=people
    )
    stale = services.ladder_step_record(
        actor=system,
        candidate=dataclasses.replace(candidate, deadline=DEADLINE - dt.timedelta(days=1)),
        step=LadderStep.ESCALATE_HEAD,
        people=people,
    )
    assert again is None and stale is None
    assert Urging.objects.count() == 1 and LedgerEvent.objects.count() == events + 1
    columns = {f.column for f in Urging._meta.concrete_fields if not f.primary_key}
    insert = step_statements(connection.alias)[1]
    named = insert.split("(", 1)[1].split(")", 1)[0]
    assert {c.strip().strip('"') for c in named.split(",")} == columns
    assert f'"{Task._meta.db_table}" t WHERE' in insert  # the task's table, through its model


def test_the_pass_summary_reads_in_vietnamese(ww: WorkWorld, clock: Any) -> None:
    a_task(ww)
    clock.move_to(at(DEADLINE))
    report = run_pass(DEADLINE, detectors=False)
    summary = report.summary()
    assert summary.startswith("Đôn đốc 1 bước (đôn đốc khi đến hạn: 1)"), summary
    assert "gửi thông báo: không có;" in summary and "DeliveryReport" not in summary


def test_the_pass_gathers_sqlite_statistics_once_an_hour(ww: WorkWorld, clock: Any) -> None:
    from baro import worker

    a_task(ww)
    worker._statistics_at = None  # as a newly started worker
    first = run_pass(START, detectors=False, deliveries=False)
    second = run_pass(START, detectors=False, deliveries=False)
    if connection.vendor != "sqlite":  # PostgreSQL's autovacuum keeps its own statistics
        assert "statistics" not in first.parts and "statistics" not in second.parts
        return
    assert "statistics" in first.parts and "statistics" not in second.parts
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'work_task'")
        assert cursor.fetchone()[0] > 0
    worker._statistics_at -= worker.STATISTICS_EVERY_SECONDS  # an hour later
    assert "statistics" in run_pass(START, detectors=False, deliveries=False).parts


# --------------------------------------------------------------------------------------------
# an ownership dispute left undecided


def _undecided_dispute(ww: WorkWorld) -> Dispute:
    """Phòng A1 refuses a task, proposing Phòng A2: Sở A's head decides (by Thu 05/02/2026,
    three working days after the refusal); the city's head is the head above him."""
    a2 = unit_create(
        actor=ww.w.admin, code="PHONG-A2", name="Phòng A2", kind=UnitKind.DIVISION, parent=ww.dept_a
    )
    task = assign(ww, title="Cấp phép đào đường", lead_unit=ww.w.div_a1)
    work.task_refuse(
        actor=ww.w.officer, task=task, reason="Thuộc chức năng Phòng A2", proposed_unit=a2
    )
    dispute = Dispute.objects.get(task=task)
    assert (dispute.decider_unit, dispute.deadline) == (ww.dept_a, dt.date(2026, 2, 5))
    return dispute


def _dispute_steps(recorded: Counter[str]) -> dict[str, int]:
    return {step: n for step, n in recorded.items() if step in DISPUTE_STEPS and n}


def _dispute_events(dispute: Dispute) -> list[tuple[str, Any]]:
    return [
        (e.action, e.payload["target_person_id"])
        for e in LedgerEvent.objects.filter(
            object_type="work.dispute", object_id=str(dispute.pk), action__startswith="oversight."
        ).order_by("seq")
    ]


def test_an_undecided_dispute_urges_its_decider_then_the_head_above(
    ww: WorkWorld, clock: Any
) -> None:
    dispute = _undecided_dispute(ww)
    steps = DISPUTE_STEPS
    for day in (dt.date(2026, 2, 2), dt.date(2026, 2, 5)):  # not past the deadline yet
        clock.move_to(at(day))
        assert not _dispute_steps(run_ladder(day))
    clock.move_to(at(dt.date(2026, 2, 6)))  # the first working day past it
    assert _dispute_steps(run_ladder(dt.date(2026, 2, 6))) == {LadderStep.DISPUTE_URGE: 1}
    urging = Urging.objects.get(step=LadderStep.DISPUTE_URGE)
    assert (urging.task_id, urging.deadline) == (dispute.task_id, dispute.deadline)
    assert (urging.target_unit, urging.target_person) == (ww.dept_a, ww.w.head)
    assert Notification.objects.filter(recipient=ww.w.head, kind="oversight.dispute_urge").exists()
    assert _dispute_events(dispute) == [("oversight.ladder.dispute_urge", ww.w.head.pk)]
    assert action_label("oversight.ladder.dispute_urge")
    for day in (dt.date(2026, 2, 6), dt.date(2026, 2, 9)):  # once; the head above not yet
        clock.move_to(at(day))
        assert not _dispute_steps(run_ladder(day))
    clock.move_to(at(dt.date(2026, 2, 10)))  # escalate_head_after (3) working days past it
    assert _dispute_steps(run_ladder(dt.date(2026, 2, 10))) == {LadderStep.DISPUTE_ESCALATE: 1}
    above = Urging.objects.get(step=LadderStep.DISPUTE_ESCALATE)
    assert (above.target_unit, above.target_person) == (ww.root, ww.city_head)
    assert _dispute_events(dispute) == [
        ("oversight.ladder.dispute_urge", ww.w.head.pk),
        ("oversight.ladder.dispute_escalate", ww.city_head.pk),
    ]
    # Counted in the decider's record (and in the record of the head above), not as urgings
    # of the disputed task's lead.
    counts = {step: n for step, _label, n in responsibility_record(ww.w.head).urging_counts}
    assert counts[LadderStep.DISPUTE_URGE] == 1
    counts = {step: n for step, _label, n in responsibility_record(ww.city_head).urging_counts}
    assert counts[LadderStep.DISPUTE_ESCALATE] == 1
    # Decided: nothing more, whatever the day.
    work.dispute_decide(
        actor=ww.w.head, dispute=dispute, unit=ww.w.div_a1, reason="Đúng chức năng Phòng A1"
    )
    clock.move_to(at(dt.date(2026, 3, 2)))
    assert not _dispute_steps(run_ladder(dt.date(2026, 3, 2)))
    assert Urging.objects.filter(step__in=steps).count() == 2


def test_a_dispute_decided_in_time_is_never_chased(ww: WorkWorld, clock: Any) -> None:
    dispute = _undecided_dispute(ww)
    clock.move_to(at(dt.date(2026, 2, 5)))
    work.dispute_decide(actor=ww.w.head, dispute=dispute, unit=ww.w.div_a1, reason="Phòng A1")
    clock.move_to(at(dt.date(2026, 2, 20)))
    run_ladder(dt.date(2026, 2, 20))
    assert not Urging.objects.filter(step__in=DISPUTE_STEPS).exists()


def test_a_dispute_step_is_the_systems_and_recorded_once(ww: WorkWorld, clock: Any) -> None:
    dispute = _undecided_dispute(ww)
    candidate = services.DisputeCandidate(
        dispute_id=dispute.pk,
        task_id=dispute.task_id,
        deadline=dispute.deadline,
        title=dispute.task.title,
        decider_unit_id=ww.dept_a.pk,
        decider_head_id=ww.w.head.pk,
        above_unit_id=ww.root.pk,
        above_head_id=ww.city_head.pk,
    )
    with pytest.raises(AuthorityError):
        services.dispute_ladder_step_record(
            actor=ww.city_head, candidate=candidate, step=LadderStep.DISPUTE_URGE, people={}
        )
    record = services.dispute_ladder_step_record
    system = system_person()
    events = LedgerEvent.objects.count()
    assert record(actor=system, candidate=candidate, step=LadderStep.DISPUTE_URGE, people={})
    assert not record(actor=system, candidate=candidate, step=LadderStep.DISPUTE_URGE, people={})
    assert LedgerEvent.objects.count() == events + 1
