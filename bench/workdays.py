"""How fast is working-day arithmetic? Target: a million deadlines in a few seconds.

    .venv/bin/python bench/workdays.py [--calls 1000000] [--overrides 20]

Runs in a temporary SQLite database (BARO_DATA_DIR set to a temporary directory, DATABASE_URL
ignored): migrates, adds `--overrides` administrator overrides through the service, then times
with warm caches: add_working_days(start, n) for random start days in 2025–2028 and n in 1–60,
is_working_day, working_days_between, and add_calendar_days; then the cost of a cold start
(every cache dropped, as after an override changes) and, for scale, a naive day-by-day loop
over the `holidays` package. Prints calls per second. Never run by the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rate(label: str, calls: int, fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - started
    rate = calls / elapsed
    print(f"{label:<44} {calls:>10,} calls  {elapsed:7.3f} s  {rate:>12,.0f} /s")
    return rate


def run(calls: int, overrides: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baro.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from baro.org.models import system_person
    from baro.workdays import calendar
    from baro.workdays.models import OverrideKind
    from baro.workdays.services import calendar_override_set

    call_command("migrate", verbosity=0)
    rng = random.Random(24)
    system = system_person()
    added = 0
    day = dt.date(2025, 1, 1)
    while added < overrides:
        day += dt.timedelta(days=rng.randint(20, 60))
        info = calendar.base_day_info(day)
        kind = OverrideKind.HOLIDAY if info.is_working else OverrideKind.WORKING_DAY
        calendar_override_set(actor=system, day=day, kind=kind, reason="Bench")
        added += 1
    transaction.get_connection().close()

    base = dt.date(2025, 1, 1).toordinal()
    starts = [dt.date.fromordinal(base + rng.randrange(4 * 365)) for _ in range(calls)]
    counts = [rng.randint(1, 60) for _ in range(calls)]
    ends = [s + dt.timedelta(days=rng.randint(0, 90)) for s in starts]
    pairs = list(zip(starts, counts, strict=True))
    spans = list(zip(starts, ends, strict=True))

    add_working_days = calendar.add_working_days
    calendar.add_working_days(starts[0], 1)  # load overrides and the first year table
    print(f"{overrides} overrides; {calls:,} random calls, start days 2025–2028")
    _rate(
        "add_working_days (warm)",
        calls,
        lambda: [add_working_days(s, n) for s, n in pairs],
    )
    is_working_day = calendar.is_working_day
    _rate("is_working_day (warm)", calls, lambda: [is_working_day(s) for s in starts])
    between = calendar.working_days_between
    _rate(
        "working_days_between (≤ 90 days, warm)", calls, lambda: [between(a, b) for a, b in spans]
    )
    add_calendar_days = calendar.add_calendar_days
    _rate(
        "add_calendar_days (warm, rolled)",
        calls,
        lambda: [add_calendar_days(s, n) for s, n in pairs],
    )

    def cold() -> None:
        calendar.invalidate()
        add_working_days(dt.date(2026, 3, 2), 5)

    started = time.perf_counter()
    cold()
    print(
        f"{'cold start (reload overrides, build a year)':<44} {time.perf_counter() - started:.4f} s"
    )
    calendar.package_holidays.cache_clear()
    calendar.package_weekend_workdays.cache_clear()
    started = time.perf_counter()
    cold()
    print(f"{'… and the holidays package for that year':<44} {time.perf_counter() - started:.4f} s")

    import holidays

    table = holidays.country_holidays("VN", years=range(2024, 2030))
    naive_calls = max(1, calls // 50)

    def naive(start: dt.date, n: int) -> dt.date:
        day = start
        while n:
            day += dt.timedelta(days=1)
            if day.weekday() < 5 and day not in table:
                n -= 1
        return day

    _rate(
        "for scale: naive day-by-day over `holidays`",
        naive_calls,
        lambda: [naive(s, n) for s, n in pairs[:naive_calls]],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--overrides", type=int, default=20)
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["BARO_DATA_DIR"] = data_dir
        run(args.calls, args.overrides)


if __name__ == "__main__":
    main()
