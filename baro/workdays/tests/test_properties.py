"""Properties of working-day arithmetic, on the package's calendar and with overrides, checked
against a day-by-day count that does not use the cached year tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from baro.testing.org import World
from baro.workdays import calendar
from baro.workdays.calendar import add_working_days, is_working_day, working_days_between
from baro.workdays.models import OverrideKind
from baro.workdays.services import calendar_override_set

DAYS = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2032, 12, 31))
COUNTS = st.integers(min_value=0, max_value=400)


def slow_add(start: dt.date, n: int) -> dt.date:
    """The reference: step one day at a time, asking day_info (overrides, then base rules)."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        if calendar.day_info(day).is_working:
            n -= 1
    return day


def check_properties() -> None:
    @settings(max_examples=300, deadline=None)
    @given(DAYS, COUNTS)
    def properties(start: dt.date, n: int) -> None:
        due = add_working_days(start, n)
        assert working_days_between(start, due) == n
        assert working_days_between(due, start) == -n
        assert add_working_days(start, n + 1) > due  # strictly monotonic in n
        if n >= 1:
            assert is_working_day(due)
            # The first such day: the day before it is one working day short.
            assert working_days_between(start, due - dt.timedelta(days=1)) == n - 1

    @settings(max_examples=100, deadline=None)
    @given(DAYS, st.integers(min_value=0, max_value=40))
    def matches_reference(start: dt.date, n: int) -> None:
        assert add_working_days(start, n) == slow_add(start, n)

    @settings(max_examples=200, deadline=None)
    @given(DAYS, DAYS)
    def between_is_additive(a: dt.date, b: dt.date) -> None:
        middle = a + (b - a) / 2
        assert working_days_between(a, b) == (
            working_days_between(a, middle) + working_days_between(middle, b)
        )

    properties()
    matches_reference()
    between_is_additive()


def test_properties_on_the_package_calendar(db: None) -> None:
    check_properties()


def test_properties_with_overrides(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for day in (dt.date(2026, 10, 10), dt.date(2026, 12, 26), dt.date(2027, 1, 2)):
            calendar_override_set(
                actor=world.admin, day=day, kind=OverrideKind.WORKING_DAY, reason="Làm bù"
            )
    with django_capture_on_commit_callbacks(execute=True):
        for day in (dt.date(2026, 10, 12), dt.date(2026, 12, 31), dt.date(2026, 2, 23)):
            calendar_override_set(
                actor=world.admin, day=day, kind=OverrideKind.HOLIDAY, reason="Nghỉ thêm"
            )
    assert is_working_day(dt.date(2026, 12, 26))
    assert not is_working_day(dt.date(2026, 12, 31))
    check_properties()


def test_every_year_has_working_days(db: None) -> None:
    for year in range(2000, 2041):
        assert 240 <= len(calendar.working_days_in(year)) <= 255, year
