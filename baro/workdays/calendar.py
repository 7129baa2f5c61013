"""Working-day arithmetic for every deadline in Baro.

A day is a working day by these rules, first match wins:
1. an active CalendarOverride (the administrator's decision) says so, either way;
2. a Vietnamese public holiday or observed/swapped day off from the `holidays` package → off;
3. a weekend day the Government swapped into a working day (the package's `weekend_workdays`,
   e.g. Saturday 26/04/2025 worked for Friday 02/05/2025) → working;
4. Saturday and Sunday → off; any other day → working.

Counting follows Vietnamese administrative and civil law: the day a period starts from is not
counted ("trong 5 ngày làm việc kể từ ngày nhận" ends on the 5th working day *after* receipt;
Bộ luật Dân sự 2015, Điều 147), and a period in calendar days that ends on a day off ends on
the next working day instead (Điều 148 khoản 5).

Speed: each year is turned once into a sorted tuple of the ordinals of its working days, so
add_working_days is one bisect and one index, and working_days_between is two bisects. Tables
are cached per process. They are dropped when an override changes: at once in the process that
changed it (services call invalidate() on commit), and in other processes (web workers, the
worker) at their next check, at most BARO_CALENDAR_RECHECK_SECONDS later (default 30), by one
cheap query on (max id, max revoked_at): overrides are only inserted or closed, so any edit
moves one of the two. A web request asks that question once at its start (recheck_soon, on
Django's request_started), so with several server processes a page never shows a calendar
older than the request.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import re
import threading
import time
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import holidays
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "DayInfo",
    "Period",
    "PeriodKind",
    "add_calendar_days",
    "add_working_days",
    "base_day_info",
    "day_info",
    "invalidate",
    "is_working_day",
    "next_working_day",
    "package_holidays",
    "parse_period",
    "period_end",
    "period_label",
    "period_start",
    "working_day_on_or_after",
    "working_days_between",
    "working_days_in",
]

COUNTRY = "VN"
WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())
DEFAULT_RECHECK_SECONDS = 30.0

SOURCE_OVERRIDE = "override"
SOURCE_HOLIDAY = "holiday"
SOURCE_SWAPPED = "swapped_workday"
SOURCE_WEEKEND = "weekend"
SOURCE_WEEKDAY = "weekday"

# Monday first, like date.weekday(); lazy, so each reader gets the names in their language.
WEEKDAY_NAMES = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)


# --------------------------------------------------------------------------------------------
# the package's calendar (never changes while the process runs)


@lru_cache(maxsize=256)
def package_holidays(year: int) -> dict[dt.date, str]:
    """Days off in `year` per the `holidays` package, with their Vietnamese names.

    Includes observed days (nghỉ bù) and the Government's swapped days off ("Ngày nghỉ (thay cho
    ngày 26/04/2025)"). Neighbouring years are loaded too because a swap may cross the new year
    (31/12/2018 off for Saturday 05/01/2019).
    """
    table = holidays.country_holidays(COUNTRY, years=range(year - 1, year + 2), language="vi")
    return {day: str(name) for day, name in sorted(table.items()) if day.year == year}


@lru_cache(maxsize=256)
def package_weekend_workdays(year: int) -> frozenset[dt.date]:
    """Weekend days of `year` the Government made working days (swapped for a day off)."""
    table = holidays.country_holidays(COUNTRY, years=range(year - 1, year + 2), language="vi")
    return frozenset(day for day in table.weekend_workdays if day.year == year)


@dataclass(frozen=True)
class DayInfo:
    """Whether a day is worked, and why (for messages and the admin page)."""

    day: dt.date
    is_working: bool
    source: str  # one of the SOURCE_* codes
    name: str  # holiday name, override kind label, "Thứ Bảy"…

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAY_NAMES[self.day.weekday()])


def base_day_info(day: dt.date) -> DayInfo:
    """The status of `day` by the package and weekends only, ignoring administrator overrides."""
    name = package_holidays(day.year).get(day)
    if name is not None:
        return DayInfo(day, False, SOURCE_HOLIDAY, name)
    if day in package_weekend_workdays(day.year):
        return DayInfo(day, True, SOURCE_SWAPPED, "Ngày làm việc bù (theo quyết định hoán đổi)")
    if day.weekday() in WEEKEND:
        return DayInfo(day, False, SOURCE_WEEKEND, str(WEEKDAY_NAMES[day.weekday()]))
    return DayInfo(day, True, SOURCE_WEEKDAY, str(WEEKDAY_NAMES[day.weekday()]))


# --------------------------------------------------------------------------------------------
# the cache: base calendar + overrides, per year


@dataclass
class _State:
    overrides: dict[dt.date, tuple[str, str]]  # day → (kind, reason), active ones only
    version: tuple[Any, Any]
    recheck_at: float
    # year → sorted ordinals of its working days, and the same as a set for membership
    working: dict[int, tuple[int, ...]] = field(default_factory=dict)
    working_set: dict[int, frozenset[int]] = field(default_factory=dict)
    # the same days as date objects: indexing is ~10x cheaper than date.fromordinal
    working_dates: dict[int, tuple[dt.date, ...]] = field(default_factory=dict)


_state: _State | None = None
_lock = threading.Lock()
_monotonic = time.monotonic


def _recheck_seconds() -> float:
    return float(getattr(settings, "BARO_CALENDAR_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))


def _version() -> tuple[Any, Any]:
    """(last id, last revocation) of the overrides: any change moves one of them. One plain
    statement, run once per web request (see recheck_soon): the ORM's aggregate cost ~15% of
    creating a task over HTTP. Only compared with itself, so the raw values (a string on
    SQLite, a datetime on PostgreSQL) do."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return row[0], row[1]


@cache
def _version_sql() -> str:
    from django.db import connection

    from baro.workdays.models import CalendarOverride

    meta = CalendarOverride._meta
    quote = connection.ops.quote_name
    return (
        f"SELECT MAX({quote(meta.pk.column)}), "  # noqa: S608 (model identifiers)
        f"MAX({quote(meta.get_field('revoked_at').column)}) FROM {quote(meta.db_table)}"
    )


def _load() -> _State:
    from baro.workdays.models import CalendarOverride

    # Version first: a change landing between the two reads leaves an older version, which
    # the next recheck notices; the opposite order could hide that change until restart.
    version = _version()
    overrides = {
        day: (kind, reason)
        for day, kind, reason in CalendarOverride.objects.filter(
            revoked_at__isnull=True
        ).values_list("day", "kind", "reason")
    }
    return _State(overrides, version, time.monotonic() + _recheck_seconds())


def _current() -> _State:
    """The cached state, reloaded when absent or when another process changed the overrides."""
    global _state
    state = _state
    if state is not None and time.monotonic() < state.recheck_at:
        return state
    with _lock:
        state = _state
        if state is None:
            _state = state = _load()
        elif time.monotonic() >= state.recheck_at:
            if _version() == state.version:
                state.recheck_at = time.monotonic() + _recheck_seconds()
            else:
                _state = state = _load()
    return state


def recheck_soon(**_signal: Any) -> None:
    """Make the next use check the overrides' version once (connected to request_started)."""
    state = _state
    if state is not None:
        state.recheck_at = 0.0


def invalidate() -> None:
    """Drop every cached table; the next call reloads the overrides (run on commit)."""
    global _state
    with _lock:
        _state = None


def _build_year(state: _State, year: int) -> tuple[int, ...]:
    from baro.workdays.models import OverrideKind

    start = dt.date(year, 1, 1).toordinal()
    end = dt.date(year, 12, 31).toordinal()
    off = package_holidays(year)
    swapped = package_weekend_workdays(year)
    working: list[int] = []
    for ordinal in range(start, end + 1):
        day = dt.date.fromordinal(ordinal)
        override = state.overrides.get(day)
        if override is not None:
            worked = override[0] == OverrideKind.WORKING_DAY
        elif day in off:
            worked = False
        elif day in swapped:
            worked = True
        else:
            worked = day.weekday() not in WEEKEND
        if worked:
            working.append(ordinal)
    table = tuple(working)
    # Plain dict stores: a racing builder of the same year writes an equal value. Dates and
    # the set first, so that a reader finding `working[year]` finds the other two as well.
    state.working_dates[year] = tuple(dt.date.fromordinal(ordinal) for ordinal in table)
    state.working_set[year] = frozenset(table)
    state.working[year] = table
    return table


def _working(year: int) -> tuple[int, ...]:
    state = _current()
    table = state.working.get(year)
    return table if table is not None else _build_year(state, year)


# --------------------------------------------------------------------------------------------
# working-day arithmetic


def is_working_day(day: dt.date) -> bool:
    """Whether `day` is a working day (overrides, then holidays and swaps, then weekends)."""
    state = _current()
    year = day.year
    days = state.working_set.get(year)
    if days is None:
        _build_year(state, year)
        days = state.working_set[year]
    return day.toordinal() in days


def day_info(day: dt.date) -> DayInfo:
    """Like base_day_info(), but an administrator's override wins and is named as the reason."""
    from baro.workdays.models import OverrideKind

    override = _current().overrides.get(day)
    if override is None:
        return base_day_info(day)
    kind, reason = override
    return DayInfo(
        day,
        kind == OverrideKind.WORKING_DAY,
        SOURCE_OVERRIDE,
        f"{OverrideKind(kind).label}: {reason}",
    )


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (start itself is not counted); `start` when n == 0.

    "Trong 5 ngày làm việc kể từ ngày nhận 10/02/2026" → add_working_days(10/02/2026, 5).
    Raises ValueError for n < 0 and OverflowError past year 9999.
    """
    if n < 0:
        raise ValueError("n must be ≥ 0")
    if n == 0:
        return start
    ordinal = start.toordinal()
    year = start.year
    # The fast path of _current() inlined: this is the call a million deadlines make.
    state = _state
    if state is None or _monotonic() >= state.recheck_at:
        state = _current()
    while True:
        table = state.working.get(year)
        if table is None:
            table = _build_year(state, year)
        index = bisect_right(table, ordinal) + n - 1
        if index < len(table):
            return state.working_dates[year][index]
        n = index - len(table) + 1  # still to count from the next year's first working day
        year += 1
        if year > dt.MAXYEAR:
            raise OverflowError("date beyond year 9999")
        ordinal = 0


def working_days_between(a: dt.date, b: dt.date) -> int:
    """How many working days lie in (a, b]: the n with add_working_days(a, n) == b when b is a
    working day. Negative (−count of (b, a]) when b is before a; 0 when a == b.
    """
    if b < a:
        return -working_days_between(b, a)
    first, last = _working(a.year), _working(b.year)
    if a.year == b.year:
        return bisect_right(last, b.toordinal()) - bisect_right(first, a.toordinal())
    count = len(first) - bisect_right(first, a.toordinal())
    for year in range(a.year + 1, b.year):
        count += len(_working(year))
    return count + bisect_right(last, b.toordinal())


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after `day`."""
    return add_working_days(day, 1)


def working_day_on_or_after(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the next one (BLDS 2015, Điều 148 khoản 5)."""
    return day if is_working_day(day) else next_working_day(day)


def add_calendar_days(start: dt.date, n: int, *, roll_to_working_day: bool = True) -> dt.date:
    """`start` + n calendar days (start not counted); a deadline falling on a day off moves to
    the next working day unless roll_to_working_day is False.
    """
    if n < 0:
        raise ValueError("n must be ≥ 0")
    end = start + dt.timedelta(days=n)
    return working_day_on_or_after(end) if roll_to_working_day else end


def working_days_in(year: int) -> list[dt.date]:
    """Every working day of `year`, in order."""
    return [dt.date.fromordinal(ordinal) for ordinal in _working(year)]


# --------------------------------------------------------------------------------------------
# periods: "quý III/2026", "tháng 10/2026", "6 tháng đầu năm 2026", "năm 2026"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("6 tháng")
    YEAR = "year", _("Năm")


_PERIODS_PER_YEAR = {
    PeriodKind.MONTH: 12,
    PeriodKind.QUARTER: 4,
    PeriodKind.HALF: 2,
    PeriodKind.YEAR: 1,
}
_MONTHS_PER_PERIOD = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF: 6,
    PeriodKind.YEAR: 12,
}
ROMAN = ("I", "II", "III", "IV")


def _checked(kind: str, year: int, number: int | None) -> tuple[PeriodKind, int]:
    try:
        period_kind = PeriodKind(kind)
    except ValueError as exc:
        raise ValueError(f"unknown period kind {kind!r}") from exc
    if period_kind == PeriodKind.YEAR and number is None:
        number = 1
    if number is None or not 1 <= number <= _PERIODS_PER_YEAR[period_kind]:
        raise ValueError(f"{period_kind.label} {number} does not exist")
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValueError(f"year {year} out of range")
    return period_kind, number


def period_start(kind: str, year: int, number: int | None = None) -> dt.date:
    """First day of the period (number: month 1-12, quarter 1-4, half 1-2; None for a year)."""
    period_kind, number = _checked(kind, year, number)
    return dt.date(year, (number - 1) * _MONTHS_PER_PERIOD[period_kind] + 1, 1)


def period_end(kind: str, year: int, number: int | None = None) -> dt.date:
    """Last calendar day of the period: the deadline of "trong quý III/2026" is 30/09/2026.

    Not moved off weekends: whether a period deadline rolls to the next working day is the
    caller's rule (working_day_on_or_after), as for any calendar-day deadline.
    """
    period_kind, number = _checked(kind, year, number)
    month = number * _MONTHS_PER_PERIOD[period_kind]
    return dt.date(year, month, _stdcal.monthrange(year, month)[1])


def period_label(kind: str, year: int, number: int | None = None) -> str:
    """Vietnamese label as documents write it: "quý III/2026", "tháng 10/2026", "năm 2026"."""
    period_kind, number = _checked(kind, year, number)
    if period_kind == PeriodKind.MONTH:
        return f"tháng {number}/{year}"
    if period_kind == PeriodKind.QUARTER:
        return f"quý {ROMAN[number - 1]}/{year}"
    if period_kind == PeriodKind.HALF:
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    return f"năm {year}"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    number: int

    @property
    def start(self) -> dt.date:
        return period_start(self.kind, self.year, self.number)

    @property
    def end(self) -> dt.date:
        return period_end(self.kind, self.year, self.number)

    @property
    def label(self) -> str:
        return period_label(self.kind, self.year, self.number)


_PERIOD_PATTERNS: list[tuple[PeriodKind, re.Pattern[str]]] = [
    (PeriodKind.QUARTER, re.compile(r"(?:quý|q)\s*(iv|i{1,3}|[1-4])\s*[/.-]\s*(\d{4})")),
    (PeriodKind.MONTH, re.compile(r"tháng\s*(\d{1,2})\s*[/.-]\s*(\d{4})")),
    (PeriodKind.HALF, re.compile(r"6\s*tháng\s*(đầu|cuối)\s*năm\s*(\d{4})")),
    (PeriodKind.YEAR, re.compile(r"năm\s*(\d{4})")),
]


def parse_period(text: str) -> Period:
    """Read "quý III/2026", "Quý 3/2026", "tháng 10/2026", "6 tháng đầu năm 2026", "năm 2026".

    Raises ValueError for anything else (including "tháng 13/2026").
    """
    cleaned = " ".join(unicodedata.normalize("NFC", text).strip().lower().split())
    cleaned = cleaned.removeprefix("trong ").removeprefix("hết ")
    for kind, pattern in _PERIOD_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match is None:
            continue
        if kind == PeriodKind.YEAR:
            return Period(kind, int(match[1]), 1)
        raw, year = match[1], int(match[2])
        if kind == PeriodKind.QUARTER:
            number = ROMAN.index(raw.upper()) + 1 if not raw.isdigit() else int(raw)
        elif kind == PeriodKind.HALF:
            number = 1 if raw == "đầu" else 2
        else:
            number = int(raw)
        _checked(kind, year, number)
        return Period(kind, year, number)
    raise ValueError(f"not a period: {text!r}")
