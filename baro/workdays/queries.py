"""Reads of the working-day calendar, for the administrator's page and for deadline forms.

Not scoped to an actor: which days are worked is public (every unit, officer and citizen needs
it to know when something is due), unlike the registry's or the tasks' rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from baro.workdays import calendar
from baro.workdays.models import CalendarOverride, OverrideKind

__all__ = ["HolidayRow", "holidays_in", "override_history_in", "overrides_in"]


def overrides_in(year: int) -> QuerySet[CalendarOverride]:
    """Active overrides of `year`, by day."""
    return CalendarOverride.objects.filter(day__year=year, revoked_at__isnull=True).select_related(
        "set_by"
    )


def override_history_in(year: int) -> QuerySet[CalendarOverride]:
    """Every override of `year`, removed ones included (who set or removed it, and why)."""
    return CalendarOverride.objects.filter(day__year=year).select_related("set_by", "revoked_by")


@dataclass(frozen=True)
class HolidayRow:
    """One day that differs from the plain Monday-Friday week, and whether it is worked."""

    day: dt.date
    name: str  # Vietnamese, from the `holidays` package or the override's reason
    is_working: bool
    source: str  # calendar.SOURCE_HOLIDAY / SOURCE_SWAPPED / SOURCE_OVERRIDE
    package_name: str  # what the package calls the day, when an override replaced its answer

    @property
    def weekday_name(self) -> str:
        return str(calendar.WEEKDAY_NAMES[self.day.weekday()])


def holidays_in(year: int) -> list[HolidayRow]:
    """Public holidays and swapped days of `year` from the package, with overrides applied.

    A package day that an override replaced stays listed with the package's name
    (package_name), so the page shows what the administrator changed; overrides on ordinary
    days are listed too.
    """
    rows: dict[dt.date, HolidayRow] = {}
    for day, name in calendar.package_holidays(year).items():
        rows[day] = HolidayRow(day, name, False, calendar.SOURCE_HOLIDAY, "")
    for day in calendar.package_weekend_workdays(year):
        rows[day] = HolidayRow(
            day, "Ngày làm việc bù (theo quyết định hoán đổi)", True, calendar.SOURCE_SWAPPED, ""
        )
    for override in overrides_in(year):
        base = rows.get(override.day)
        rows[override.day] = HolidayRow(
            override.day,
            f"{override.get_kind_display()}: {override.reason}",
            override.kind == OverrideKind.WORKING_DAY,
            calendar.SOURCE_OVERRIDE,
            base.name if base is not None else "",
        )
    return [rows[day] for day in sorted(rows)]
