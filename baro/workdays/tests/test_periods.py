"""Deadlines given as a period: "trong quý III/2026", "tháng 10/2026", "năm 2026"."""

from __future__ import annotations

import datetime as dt

import pytest

from baro.workdays.calendar import (
    Period,
    PeriodKind,
    parse_period,
    period_end,
    period_label,
    period_start,
)

D = dt.date


@pytest.mark.parametrize(
    ("kind", "year", "number", "start", "end", "label"),
    [
        ("quarter", 2026, 3, D(2026, 7, 1), D(2026, 9, 30), "quý III/2026"),
        ("quarter", 2026, 1, D(2026, 1, 1), D(2026, 3, 31), "quý I/2026"),
        ("quarter", 2026, 4, D(2026, 10, 1), D(2026, 12, 31), "quý IV/2026"),
        ("month", 2026, 10, D(2026, 10, 1), D(2026, 10, 31), "tháng 10/2026"),
        ("month", 2028, 2, D(2028, 2, 1), D(2028, 2, 29), "tháng 2/2028"),
        ("month", 2026, 2, D(2026, 2, 1), D(2026, 2, 28), "tháng 2/2026"),
        ("half", 2026, 1, D(2026, 1, 1), D(2026, 6, 30), "6 tháng đầu năm 2026"),
        ("half", 2026, 2, D(2026, 7, 1), D(2026, 12, 31), "6 tháng cuối năm 2026"),
        ("year", 2026, None, D(2026, 1, 1), D(2026, 12, 31), "năm 2026"),
    ],
)
def test_periods(
    kind: str, year: int, number: int | None, start: dt.date, end: dt.date, label: str
) -> None:
    assert period_start(kind, year, number) == start
    assert period_end(kind, year, number) == end
    assert period_label(kind, year, number) == label
    parsed = parse_period(label)
    assert (parsed.kind, parsed.year) == (kind, year)
    assert (parsed.start, parsed.end, parsed.label) == (start, end, label)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý 3/2026", Period(PeriodKind.QUARTER, 2026, 3)),
        ("trong quý III/2026", Period(PeriodKind.QUARTER, 2026, 3)),
        ("  QUÝ  iv / 2027 ", Period(PeriodKind.QUARTER, 2027, 4)),
        ("Tháng 10/2026", Period(PeriodKind.MONTH, 2026, 10)),
        ("tháng 1.2027", Period(PeriodKind.MONTH, 2027, 1)),
        ("Năm 2026", Period(PeriodKind.YEAR, 2026, 1)),
        ("6 tháng cuối năm 2026", Period(PeriodKind.HALF, 2026, 2)),
    ],
)
def test_parse_period(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["tháng 13/2026", "quý V/2026", "quý 0/2026", "tuần 3/2026", "2026", ""]
)
def test_parse_period_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


@pytest.mark.parametrize(
    ("kind", "year", "number"),
    [("month", 2026, 0), ("month", 2026, 13), ("quarter", 2026, 5), ("year", 2026, 2),
     ("week", 2026, 1), ("quarter", 2026, None), ("year", 0, None)],
)  # fmt: skip
def test_period_refuses_what_does_not_exist(kind: str, year: int, number: int | None) -> None:
    with pytest.raises(ValueError):
        period_end(kind, year, number)
