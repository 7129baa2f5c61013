"""Reads for the calendar administration page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from baro.testing.org import World
from baro.workdays import calendar
from baro.workdays.models import OverrideKind
from baro.workdays.queries import holidays_in, override_history_in, overrides_in
from baro.workdays.services import calendar_override_remove, calendar_override_set

D = dt.date


def test_holidays_in_lists_the_package_days_in_vietnamese(db: None) -> None:
    rows = holidays_in(2025)
    by_day = {row.day: row for row in rows}
    assert by_day[D(2025, 1, 29)].name == "Tết Nguyên Đán"
    assert by_day[D(2025, 9, 2)].name == "Quốc khánh"
    assert by_day[D(2025, 4, 30)].name == "Ngày Chiến thắng"
    assert by_day[D(2025, 5, 1)].name == "Ngày Quốc tế Lao động"
    assert by_day[D(2025, 4, 7)].name == "Ngày Giỗ Tổ Hùng Vương"
    swapped = by_day[D(2025, 4, 26)]
    assert (swapped.is_working, swapped.source, swapped.weekday_name) == (
        True,
        calendar.SOURCE_SWAPPED,
        "Thứ Bảy",
    )
    assert [row.day for row in rows] == sorted(by_day)
    assert not any(row.day.year != 2025 for row in rows)


def test_holidays_in_applies_overrides(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        calendar_override_set(
            actor=world.admin,
            day=D(2026, 11, 24),
            kind=OverrideKind.WORKING_DAY,
            reason="Đơn vị trực",
        )
        calendar_override_set(
            actor=world.admin,
            day=D(2026, 10, 12),
            kind=OverrideKind.HOLIDAY,
            reason="Nghỉ thêm",
            decision_ref="Quyết định số 1/QĐ-TTg",
        )
    by_day = {row.day: row for row in holidays_in(2026)}
    culture = by_day[D(2026, 11, 24)]
    assert culture.is_working
    assert culture.package_name == "Ngày Văn hóa Việt Nam"
    extra = by_day[D(2026, 10, 12)]
    assert (extra.is_working, extra.name, extra.package_name) == (
        False,
        "Ngày nghỉ: Nghỉ thêm",
        "",
    )
    assert [o.day for o in overrides_in(2026)] == [D(2026, 10, 12), D(2026, 11, 24)]
    assert list(overrides_in(2025)) == []

    calendar_override_remove(actor=world.admin, day=D(2026, 10, 12), reason="Thu hồi")
    assert [o.day for o in overrides_in(2026)] == [D(2026, 11, 24)]
    assert [o.day for o in override_history_in(2026)] == [D(2026, 10, 12), D(2026, 11, 24)]
