"""Working-day arithmetic on real Vietnamese calendars. Every expected date was counted by hand
on a calendar from the days off the `holidays` package gives (listed in each test)."""

from __future__ import annotations

import datetime as dt

import pytest

from baro.workdays import calendar
from baro.workdays.calendar import (
    add_calendar_days,
    add_working_days,
    is_working_day,
    next_working_day,
    working_day_on_or_after,
    working_days_between,
)

pytestmark = pytest.mark.django_db

D = dt.date


def days_off(first: dt.date, last: dt.date) -> list[dt.date]:
    span = (last - first).days + 1
    return [d for d in (first + dt.timedelta(i) for i in range(span)) if not is_working_day(d)]


def test_the_package_gives_the_days_off_these_tests_count_on() -> None:
    # Tết 2026: Giao thừa Mon 16/02 … Mùng bốn Fri 20/02 (officials off Sat 14 – Sun 22/02).
    assert [d for d in calendar.package_holidays(2026) if d.month == 2] == [
        D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20),
    ]  # fmt: skip
    # Tết 2027 (Tết Nguyên Đán on Saturday 06/02): Thu 04/02 … Wed 10/02.
    assert [d for d in calendar.package_holidays(2027) if d.month == 2] == [
        D(2027, 2, 4), D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7),
        D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10),
    ]  # fmt: skip
    # The Government's swaps the package knows: 02/05/2025 off for Saturday 26/04/2025,
    # 31/08/2026 off for Saturday 22/08/2026.
    assert calendar.package_weekend_workdays(2025) == {D(2025, 4, 26)}
    assert calendar.package_weekend_workdays(2026) == {D(2026, 8, 22)}
    assert calendar.package_holidays(2025)[D(2025, 5, 2)] == "Ngày nghỉ (thay cho ngày 26/04/2025)"
    assert calendar.package_holidays(2026)[D(2026, 2, 17)] == "Tết Nguyên Đán"


def test_tet_2026() -> None:
    assert days_off(D(2026, 2, 13), D(2026, 2, 23)) == [
        D(2026, 2, 14), D(2026, 2, 15), D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18),
        D(2026, 2, 19), D(2026, 2, 20), D(2026, 2, 21), D(2026, 2, 22),
    ]  # fmt: skip
    # Received Thu 12/02: Fri 13 (1), Tết, Mon 23 (2), Tue 24 (3), Wed 25 (4), Thu 26 (5).
    assert add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert add_working_days(D(2026, 2, 17), 1) == D(2026, 2, 23)  # received on a holiday
    assert working_days_between(D(2026, 2, 12), D(2026, 2, 26)) == 5
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 22)) == 0
    assert next_working_day(D(2026, 2, 13)) == D(2026, 2, 23)
    # 7 calendar days from Tue 10/02 end on Tết (17/02): moved to the next working day.
    assert add_calendar_days(D(2026, 2, 10), 7) == D(2026, 2, 23)
    assert add_calendar_days(D(2026, 2, 10), 7, roll_to_working_day=False) == D(2026, 2, 17)


def test_tet_2027() -> None:
    # Received Mon 01/02: Tue 02 (1), Wed 03 (2), Tết Thu 04 – Wed 10, Thu 11 (3), Fri 12 (4),
    # Mon 15 (5).
    assert add_working_days(D(2027, 2, 1), 5) == D(2027, 2, 15)
    assert add_working_days(D(2027, 2, 3), 1) == D(2027, 2, 11)
    assert working_days_between(D(2027, 2, 3), D(2027, 2, 11)) == 1
    assert working_days_between(D(2027, 2, 1), D(2027, 2, 15)) == 5


def test_reunification_and_labour_day_2026() -> None:
    # Off: Sun 26/04 Giỗ Tổ, Mon 27/04 (nghỉ bù), Thu 30/04, Fri 01/05, weekend 02–03/05.
    # Received Fri 24/04: Tue 28 (1), Wed 29 (2), Mon 04/05 (3).
    assert add_working_days(D(2026, 4, 24), 3) == D(2026, 5, 4)
    assert working_days_between(D(2026, 4, 24), D(2026, 5, 4)) == 3


def test_the_swapped_saturday_of_2025_is_a_working_day() -> None:
    # 30/04 Wed, 01/05 Thu, 02/05 Fri off; Saturday 26/04/2025 worked in exchange.
    assert is_working_day(D(2025, 4, 26))
    assert not is_working_day(D(2025, 5, 2))
    assert add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    # Fri 25/04: Sat 26 (1), Mon 28 (2), Tue 29 (3), Mon 05/05 (4).
    assert add_working_days(D(2025, 4, 25), 3) == D(2025, 4, 29)
    assert add_working_days(D(2025, 4, 25), 4) == D(2025, 5, 5)


def test_national_day_2025_and_2026() -> None:
    # 2025: Mon 01/09 and Tue 02/09 off. Fri 29/08 + 1 → Wed 03/09.
    assert add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)
    # 2026: Mon 31/08 (swapped for Saturday 22/08), Tue 01/09, Wed 02/09 off.
    # Fri 28/08: Thu 03/09 (1), Fri 04/09 (2).
    assert add_working_days(D(2026, 8, 28), 2) == D(2026, 9, 4)
    assert add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)
    assert working_days_between(D(2026, 8, 21), D(2026, 9, 4)) == 8


def test_counting_crosses_the_new_year() -> None:
    # Wed 30/12/2026: Thu 31/12 (1), Fri 01/01/2027 off, Mon 04/01 (2).
    assert add_working_days(D(2026, 12, 30), 2) == D(2027, 1, 4)
    assert working_days_between(D(2026, 12, 30), D(2027, 1, 4)) == 2
    assert working_days_between(D(2027, 1, 4), D(2026, 12, 30)) == -2
    # A whole year of working days, counted through three year tables.
    start = D(2025, 6, 30)
    end = add_working_days(start, 500)
    assert working_days_between(start, end) == 500


def test_zero_and_negative() -> None:
    assert add_working_days(D(2026, 2, 17), 0) == D(2026, 2, 17)
    assert add_calendar_days(D(2026, 3, 2), 0) == D(2026, 3, 2)
    assert working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    with pytest.raises(ValueError):
        add_working_days(D(2026, 3, 2), -1)
    with pytest.raises(ValueError):
        add_calendar_days(D(2026, 3, 2), -1)


def test_calendar_days_land_on_weekends_roll_forward() -> None:
    # 30 days from Thu 01/10/2026 is Sat 31/10 → Mon 02/11 (BLDS 2015, Điều 148 khoản 5).
    assert add_calendar_days(D(2026, 10, 1), 30) == D(2026, 11, 2)
    assert working_day_on_or_after(D(2026, 11, 2)) == D(2026, 11, 2)
    # 24/11/2026, Ngày Văn hóa Việt Nam, is a day off from 2026.
    assert not is_working_day(D(2026, 11, 24))
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)


def test_day_info_says_why() -> None:
    info = calendar.day_info(D(2026, 2, 17))
    assert (info.is_working, info.source, info.name) == (False, "holiday", "Tết Nguyên Đán")
    assert calendar.day_info(D(2026, 3, 7)).source == "weekend"
    assert calendar.day_info(D(2025, 4, 26)).source == "swapped_workday"
    assert calendar.day_info(D(2026, 3, 9)).weekday_name == "Thứ Hai"


def test_working_days_in_a_year() -> None:
    # 2026: 261 weekdays, minus 13 weekday days off (01/01, 16–20/02, 27/04, 30/04, 01/05,
    # 31/08, 01/09, 02/09, 24/11; Giỗ Tổ 26/04 is a Sunday), plus Saturday 22/08.
    assert len(calendar.working_days_in(2026)) == 261 - 13 + 1
