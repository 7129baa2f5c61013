"""Task lists: who sees what in each scope, the filters, and the SQL timing status.

The timing annotation and "not updated" mark computed in SQL are compared with the Python rules
(rules.timing_status, rules.not_updated) over many random tasks, on whichever engine runs the
suite (the CI runs it on SQLite and on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from baro.core.errors import DomainError
from baro.core.text import fold_text
from baro.core.timeutil import today
from baro.org.models import Person, Role, Unit
from baro.org.services import person_create
from baro.testing.work import WorkWorld, assign, row
from baro.work import rules, services
from baro.work.models import Task, TaskStatus
from baro.work.queries.lists import (
    Scope,
    TaskFilters,
    available_scopes,
    completion_rates,
    count_up_to,
    parse_filters,
    task_list,
    timing_counts,
)
from baro.work.rules import TimingStatus

pytestmark = pytest.mark.django_db


def ids(qs: Any) -> set[int]:
    return {task.pk for task in qs}


# --------------------------------------------------------------------------------------------
# scopes


@pytest.fixture
def spread(ww: WorkWorld) -> dict[str, Task]:
    """Tasks through the services: to Sở A (officer named), to Phòng A1, to Sở B (coordinated
    by Sở A), and one assigned by Sở A's head to its own division."""
    to_a = assign(ww, officer=ww.w.officer)
    to_a1 = assign(ww, lead_unit=ww.div_a1, title="Báo cáo quý")
    to_b = assign(
        ww,
        lead_unit=ww.dept_b,
        title="Chuyển đổi số",
        coordinators=[(ww.dept_a, "Góp ý dự thảo", None)],
    )
    by_head = assign(
        ww,
        actor=ww.w.head,
        assigning_unit=ww.dept_a,
        lead_unit=ww.div_a1,
        title="Tổng hợp số liệu",
    )
    return {"to_a": to_a, "to_a1": to_a1, "to_b": to_b, "by_head": by_head}


def test_mine_holds_my_officer_tasks_and_unstaffed_tasks_of_the_unit_i_lead(
    ww: WorkWorld, spread: dict[str, Task]
) -> None:
    assert ids(task_list(ww.w.officer, scope=Scope.MINE)) == {spread["to_a"].pk}
    # Sở A's head answers for Sở A's tasks with no officer (none here: to_a has one).
    assert ids(task_list(ww.w.head, scope=Scope.MINE)) == set()
    assert ids(task_list(ww.head_b, scope=Scope.MINE)) == {spread["to_b"].pk}


def test_unit_holds_tasks_led_or_coordinated_by_my_units(
    ww: WorkWorld, spread: dict[str, Task]
) -> None:
    assert ids(task_list(ww.w.head, scope=Scope.UNIT)) == {spread["to_a"].pk, spread["to_b"].pk}
    assert ids(task_list(ww.w.officer, scope=Scope.UNIT)) == {
        spread["to_a1"].pk,
        spread["by_head"].pk,
    }


def test_assigned_holds_what_i_assigned(ww: WorkWorld, spread: dict[str, Task]) -> None:
    assert ids(task_list(ww.w.head, scope=Scope.ASSIGNED)) == {spread["by_head"].pk}
    assert len(task_list(ww.city_head, scope=Scope.ASSIGNED)) == 3


def test_under_holds_the_whole_subtree_of_a_leader_and_nothing_for_an_officer(
    ww: WorkWorld, spread: dict[str, Task]
) -> None:
    everything = {task.pk for task in spread.values()}
    assert ids(task_list(ww.city_head, scope=Scope.UNDER)) == everything
    assert ids(task_list(ww.secretary, scope=Scope.UNDER)) == everything
    assert ids(task_list(ww.w.head, scope=Scope.UNDER)) == {
        spread["to_a"].pk,
        spread["to_a1"].pk,
        spread["by_head"].pk,
    }
    assert ids(task_list(ww.w.officer, scope=Scope.UNDER)) == set()
    assert ids(task_list(ww.w.outsider, scope=Scope.UNDER)) == set()


def test_under_follows_a_delegation_of_task_powers(ww: WorkWorld, spread: dict[str, Task]) -> None:
    from baro.core.timeutil import now
    from baro.org.authority import Power
    from baro.org.services import delegation_grant

    assert ids(task_list(ww.w.officer, scope=Scope.UNDER)) == set()
    delegation_grant(
        actor=ww.w.head,
        delegator=ww.w.head,
        delegate=ww.w.officer,
        unit=ww.dept_a,
        powers=[Power.TASK_ASSIGN],
        valid_from=now() - dt.timedelta(minutes=1),
        valid_to=now() + dt.timedelta(days=3),
        reason="Trưởng sở đi công tác",
    )
    assert ids(task_list(ww.w.officer, scope=Scope.UNDER)) == {
        spread["to_a"].pk,
        spread["to_a1"].pk,
        spread["by_head"].pk,
    }


def test_tabs_offered_match_what_each_person_can_hold(ww: WorkWorld) -> None:
    assert available_scopes(ww.w.officer) == [Scope.MINE, Scope.UNIT]
    assert available_scopes(ww.city_head) == [
        Scope.MINE,
        Scope.UNIT,
        Scope.ASSIGNED,
        Scope.UNDER,
    ]
    assert available_scopes(ww.secretary) == [Scope.MINE, Scope.UNIT, Scope.UNDER]


def test_unknown_scope_is_a_domain_error_on_the_scope_field(ww: WorkWorld) -> None:
    with pytest.raises(DomainError) as info:
        task_list(ww.city_head, scope="everything")
    assert info.value.field == "scope"
    assert info.value.code == "work.bad_scope"


def test_list_is_ordered_by_deadline_and_selects_its_relations(
    ww: WorkWorld, spread: dict[str, Task], django_assert_num_queries: Any
) -> None:
    qs = task_list(ww.city_head, scope=Scope.UNDER)
    with django_assert_num_queries(1):
        rows = list(qs)
        names = [(t.lead_unit.name, t.officer and t.officer.full_name) for t in rows]
    assert len(names) == 4
    assert [(t.deadline, t.pk) for t in rows] == sorted((t.deadline, t.pk) for t in rows)


# --------------------------------------------------------------------------------------------
# filters


def test_filters_narrow_by_each_field(ww: WorkWorld) -> None:
    directive = services.directive_register(
        actor=ww.secretary,
        number_symbol="24-CT/TU",
        kind="directive",
        issuing_unit=ww.root,
        signed_on=dt.date(2026, 1, 2),
        title="Về ba rõ",
    )
    day = dt.date(2026, 4, 10)
    early = row(ww, deadline=dt.date(2026, 2, 1), title="Đường giao thông nông thôn")
    late = row(
        ww,
        deadline=dt.date(2026, 6, 30),
        lead_unit=ww.div_a1,
        officer=ww.w.officer,
        directive=directive,
        description="Triển khai Chỉ thị",
    )
    done = row(
        ww,
        status=TaskStatus.COMPLETED,
        completed_on=dt.date(2026, 3, 1),
        lead_unit=ww.dept_b,
    )

    def find(**filters: Any) -> set[int]:
        return ids(
            task_list(ww.city_head, scope=Scope.UNDER, filters=TaskFilters(**filters), today=day)
        )

    assert find() == {early.pk, late.pk, done.pk}
    assert find(timing=TimingStatus.IN_PROGRESS_OVERDUE) == {early.pk}
    assert find(timing=TimingStatus.IN_PROGRESS_ON_TIME) == {late.pk}
    assert find(timing=TimingStatus.COMPLETED_ON_TIME) == {done.pk}
    assert find(timing=TimingStatus.COMPLETED_LATE) == set()
    assert find(status=TaskStatus.COMPLETED) == {done.pk}
    assert find(directive_id=directive.pk) == {late.pk}
    assert find(unit_id=ww.dept_a.pk) == {early.pk, late.pk}  # with its division
    assert find(unit_id=ww.div_a1.pk) == {late.pk}
    assert find(officer_id=ww.w.officer.pk) == {late.pk}
    assert find(deadline_from=dt.date(2026, 3, 1)) == {late.pk, done.pk}
    assert find(deadline_to=dt.date(2026, 3, 31)) == {early.pk, done.pk}
    assert find(deadline_from=dt.date(2026, 3, 1), deadline_to=dt.date(2026, 3, 31)) == {done.pk}
    # case and accents folded, in the title, the description and the directive's number
    assert find(text="duong giao THONG") == {early.pk}
    assert find(text="ĐƯỜNG") == {early.pk}
    assert find(text="chỉ thị") == {late.pk}
    assert find(text="24-ct/tu") == {late.pk}
    assert find(text="100%") == set()  # a LIKE wildcard is a plain character
    # assigned 5/1, no report: silent for more than 7 days on 10/4; completed ones never are
    assert find(not_updated=True) == {early.pk, late.pk}


def test_not_updated_counts_from_the_last_report_in_local_time(ww: WorkWorld) -> None:
    day = dt.date(2026, 4, 10)
    # 00:30 on 3/4 in Hà Nội is still 2/4 in UTC: the local date (3/4) is what counts
    reported = timezone.make_aware(dt.datetime(2026, 4, 3, 0, 30))
    fresh = row(ww, last_progress_at=reported)
    stale = row(ww, last_progress_at=reported - dt.timedelta(hours=1))
    qs = task_list(
        ww.city_head, scope=Scope.UNDER, filters=TaskFilters(not_updated=True), today=day
    )
    assert ids(qs) == {stale.pk}
    assert not rules.not_updated(fresh, day) and rules.not_updated(stale, day)


def test_parse_filters_reads_get_parameters() -> None:
    filters = parse_filters(
        {
            "timing": "in_progress_overdue",
            "not_updated": "1",
            "status": "in_progress",
            "directive": "4",
            "unit_id": "7",
            "officer": "9",
            "deadline_from": "01/07/2026",
            "deadline_to": "2026-07-31",
            "q": "  báo cáo ",
        }
    )
    assert filters == TaskFilters(
        timing="in_progress_overdue",
        not_updated=True,
        status="in_progress",
        directive_id=4,
        unit_id=7,
        officer_id=9,
        deadline_from=dt.date(2026, 7, 1),
        deadline_to=dt.date(2026, 7, 31),
        text="báo cáo",
    )
    assert parse_filters(filters.as_params()) == filters
    assert parse_filters({}) == TaskFilters()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"timing": "late"}, "timing"),
        ({"status": "done"}, "status"),
        ({"not_updated": "maybe"}, "not_updated"),
        ({"unit": "abc"}, "unit"),
        ({"officer_id": "-3"}, "officer_id"),
        ({"deadline_from": "31/02/2026"}, "deadline_from"),
        ({"deadline_from": "2026-07-02", "deadline_to": "2026-07-01"}, "deadline_to"),
        ({"text": "x" * 201}, "text"),
    ],
)
def test_parse_filters_refuses_bad_values_naming_the_field(
    params: dict[str, str], field: str
) -> None:
    with pytest.raises(DomainError) as info:
        parse_filters(params)
    assert info.value.field == field
    assert info.value.code == "work.bad_filter"


# --------------------------------------------------------------------------------------------
# counts and the two rates


def test_counts_and_both_rates(ww: WorkWorld) -> None:
    day = dt.date(2026, 4, 10)
    for _ in range(3):
        row(ww, status=TaskStatus.COMPLETED, completed_on=dt.date(2026, 3, 1))  # on time
    row(ww, status=TaskStatus.COMPLETED, completed_on=dt.date(2026, 4, 2))  # late
    row(ww, deadline=dt.date(2026, 4, 1))  # overdue, never updated
    row(ww, deadline=dt.date(2026, 4, 10), last_progress_at=timezone.now())  # due today
    row(ww, deadline=dt.date(2026, 5, 1), status=TaskStatus.SUBMITTED)  # within deadline
    row(ww, status=TaskStatus.CANCELLED)
    qs = task_list(ww.city_head, scope=Scope.UNDER, today=day)
    counts = timing_counts(qs, day)
    assert (
        counts.in_progress_on_time,
        counts.in_progress_overdue,
        counts.completed_on_time,
        counts.completed_late,
        counts.cancelled,
    ) == (2, 1, 3, 1, 1)
    assert counts.total == 8
    assert counts.overdue_not_updated == 1
    rates = completion_rates(qs, day)
    # due: 3 on time ÷ (4 finished + 1 overdue); all: 3 ÷ 7 (the cancelled one left out)
    assert (rates.among_due.numerator, rates.among_due.denominator) == (3, 5)
    assert rates.among_due.percent == Decimal("60.00")
    assert (rates.among_all.numerator, rates.among_all.denominator) == (3, 7)
    assert rates.among_all.display == "42,86%"
    assert "đến hạn" in rates.among_due.label and "tổng số" in rates.among_all.label


def test_rates_of_an_empty_list_say_so(ww: WorkWorld) -> None:
    rates = completion_rates(task_list(ww.w.officer, scope=Scope.MINE), today())
    assert rates.among_due.percent is None and rates.among_due.display == "—"


# --------------------------------------------------------------------------------------------
# the SQL timing status agrees with rules.timing_status on random tasks

BASE = dt.date(2026, 1, 1)
random_task = st.fixed_dictionaries(
    {
        "status": st.sampled_from(TaskStatus.values),
        "assigned": st.integers(0, 60),
        "span": st.integers(0, 60),
        "done_after": st.integers(0, 120),
        # minutes after the assignment day's UTC midnight, so reports fall on both sides of
        # local midnight (UTC+7)
        "report": st.none() | st.integers(0, 120 * 24 * 60),
    }
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tasks=st.lists(random_task, min_size=1, max_size=25), offset=st.integers(0, 150))
def test_sql_timing_and_not_updated_agree_with_the_rules(
    ww: WorkWorld, tasks: list[dict[str, Any]], offset: int
) -> None:
    Task.objects.all().delete()
    day = BASE + dt.timedelta(days=offset)
    for spec in tasks:
        assigned_on = BASE + dt.timedelta(days=spec["assigned"])
        completed = spec["status"] == TaskStatus.COMPLETED
        report = spec["report"]
        row(
            ww,
            status=spec["status"],
            assigned_on=assigned_on,
            deadline=assigned_on + dt.timedelta(days=spec["span"]),
            completed_on=assigned_on + dt.timedelta(days=spec["done_after"]) if completed else None,
            last_progress_at=None
            if report is None
            else dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=report),
        )
    qs = task_list(ww.city_head, scope=Scope.UNDER, today=day)
    for task in qs:
        assert task.timing == rules.timing_status(task, day), task.__dict__
        assert task.is_not_updated == rules.not_updated(task, day), task.__dict__
    for timing in TimingStatus.values:
        filtered = task_list(
            ww.city_head, scope=Scope.UNDER, filters=TaskFilters(timing=timing), today=day
        )
        assert ids(filtered) == {t.pk for t in qs if rules.timing_status(t, day) == timing}
    silent = task_list(
        ww.city_head, scope=Scope.UNDER, filters=TaskFilters(not_updated=True), today=day
    )
    assert ids(silent) == {t.pk for t in qs if rules.not_updated(t, day)}


def test_fold_text_strips_vietnamese_accents_and_case() -> None:
    assert fold_text("Đường Hà Nội — QUẢNG TRỊ") == "duong ha noi — quang tri"


def test_text_search_folds_on_the_database_as_in_python(ww: WorkWorld) -> None:
    title = "ẮẰẲẴẶ ẤẦẨẪẬ ĐỐỒỔỖỘ ỚỜỞỠỢ ỨỪỬỮỰ ỲÝỶỸỴ ÉÈẺẼẸ ÍÌỈĨỊ"
    task = row(ww, title=title)
    person_create(
        actor=ww.w.admin, unit=ww.root, full_name="Kiểm Tra", code="KT-1", role=Role.INSPECTOR
    )
    found = task_list(ww.city_head, scope=Scope.UNDER, filters=TaskFilters(text=fold_text(title)))
    assert ids(found) == {task.pk}


# --------------------------------------------------------------------------------------------
# the two plans of a big list, and counting with a cap


def _rows_of(actor: Person, **filters: Any) -> list[tuple[int, str, bool]]:
    day = dt.date(2026, 11, 30)
    qs = task_list(actor, scope=Scope.UNDER, filters=TaskFilters(**filters), today=day)
    page = list(qs[:3])  # ordered and limited: the query a list page sends
    return [(t.pk, t.timing, t.is_not_updated) for t in page] + [
        (t.pk, t.timing, t.is_not_updated) for t in qs
    ]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"timing": TimingStatus.IN_PROGRESS_OVERDUE},
        {"timing": TimingStatus.IN_PROGRESS_ON_TIME},
        {"timing": TimingStatus.COMPLETED_LATE},
        {"status": TaskStatus.COMPLETED},
        {"not_updated": True},
        {"unit_id": "div_a1"},
        {"unit_id": "root"},
        {"unit_id": "dept_b"},
    ],
)
def test_reading_in_deadline_order_gives_the_same_rows_as_reading_unit_by_unit(
    ww: WorkWorld, filters: dict[str, Any]
) -> None:
    for n in range(6):
        row(ww, title=f"Việc {n}", deadline=dt.date(2026, 12 - n, 1 + n), lead_unit=ww.div_a1)
    row(
        ww,
        status=TaskStatus.COMPLETED,
        deadline=dt.date(2026, 2, 28),
        completed_on=dt.date(2026, 3, 5),
    )
    row(
        ww,
        status=TaskStatus.COMPLETED,
        deadline=dt.date(2026, 2, 28),
        completed_on=dt.date(2026, 2, 5),
    )
    row(ww, lead_unit=ww.dept_b, deadline=dt.date(2026, 1, 31))
    row(ww, status=TaskStatus.CANCELLED, deadline=dt.date(2026, 1, 31))
    if "unit_id" in filters:
        filters = {"unit_id": getattr(ww, filters["unit_id"]).pk}
    with override_settings(BARO_TASK_LIST_SCAN_FROM=10**9):  # unit by unit, then sorted
        by_unit = _rows_of(ww.w.head, **filters)
    with (
        override_settings(BARO_TASK_LIST_SCAN_FROM=1),  # in deadline order (on SQLite)
        CaptureQueriesContext(connection) as sent,
    ):
        by_deadline = _rows_of(ww.w.head, **filters)
    assert by_deadline == by_unit
    if connection.vendor == "sqlite" and by_unit:  # the hint was really in the page query
        hinted = [
            q["sql"] for q in sent.captured_queries if '+"work_task"."lead_unit_id"' in q["sql"]
        ]
        assert hinted and all("LIMIT 3" in sql for sql in hinted)


def test_a_unit_filter_keeps_inside_the_units_a_leader_oversees(ww: WorkWorld) -> None:
    inside = row(ww, lead_unit=ww.div_a1)
    outside = row(ww, lead_unit=ww.dept_b)

    def find(unit: Unit) -> set[int]:
        return ids(task_list(ww.w.head, scope=Scope.UNDER, filters=TaskFilters(unit_id=unit.pk)))

    assert find(ww.root) == {inside.pk}  # a unit above: everything the head oversees
    assert find(ww.div_a1) == {inside.pk}
    assert find(ww.dept_b) == set()  # a unit beside: nothing
    assert outside.pk in ids(
        task_list(ww.city_head, scope=Scope.UNDER, filters=TaskFilters(unit_id=ww.dept_b.pk))
    )
    missing = TaskFilters(unit_id=10**6)
    assert ids(task_list(ww.w.head, scope=Scope.UNDER, filters=missing)) == set()


def test_count_up_to_stops_one_past_the_cap(ww: WorkWorld) -> None:
    for n in range(4):
        row(ww, title=f"Việc {n}")
    qs = task_list(ww.city_head, scope=Scope.UNDER)
    assert count_up_to(qs, 10) == 4
    assert count_up_to(qs, 4) == 4
    assert count_up_to(qs, 2) == 3  # "more than 2"
