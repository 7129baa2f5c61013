"""The oversight tests' frozen day, shared by their conftest (the `clock` fixture) and the test
modules that move the clock or build dates from it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.date(2026, 2, 2)  # Monday, two weeks before Tết Bính Ngọ (17/02/2026)


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HANOI)
