"""Baro's worker: one pass runs the urging ladder, the avoidance detectors, the notification
outbox and the ledger's checkpoint when due; `baro worker` runs passes on a schedule, `--once`
one.

An entry point, above every area: it drives oversight (ladder and detectors), notify (the
outbox) and the ledger (checkpoints), each through its own commands. Every part is idempotent,
so a pass can be repeated, interrupted or run by two workers at once: a ladder step is
recorded by its own command, once per task, deadline and step; a flag is raised once per key;
deliveries are claimed one by one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from baro.core.timeutil import today as current_day
from baro.ledger.checkpoints import checkpoint_if_due
from baro.ledger.keys import MissingKeyError
from baro.notify.services import deliver_due
from baro.org.models import system_person
from baro.oversight.detectors import run_detectors
from baro.oversight.ladder_pass import run_ladder
from baro.oversight.models import LadderStep

logger = logging.getLogger(__name__)


@dataclass
class PassReport:
    steps: Counter[str] = field(default_factory=Counter)
    flags: int = 0
    deliveries: Any = None
    seconds: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        steps = ", ".join(f"{LadderStep(k).label.lower()}: {v}" for k, v in self.steps.items())
        return (
            f"Đôn đốc {sum(self.steps.values())} bước ({steps or 'không có'}); "
            f"{self.flags} dấu hiệu mới; "
            f"gửi thông báo: {self.deliveries if self.deliveries is not None else 'không có'}; "
            f"{self.seconds:.2f} giây."
        )


def run_pass(
    day: dt.date | None = None,
    *,
    detectors: bool = True,
    deliveries: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> PassReport:
    """One pass of everything the worker does; each part logs and survives another's failure."""
    started = time.perf_counter()
    report = PassReport()
    day = day or current_day()
    actor = system_person()

    mark = time.perf_counter()
    with _bulk_writes():
        report.steps = run_ladder(day, actor=actor, progress=progress)
    report.parts["ladder"] = time.perf_counter() - mark

    if detectors:
        mark = time.perf_counter()
        report.flags = run_detectors(day, actor=actor)
        report.parts["detectors"] = time.perf_counter() - mark

    if deliveries:
        mark = time.perf_counter()
        report.deliveries = deliver_due(limit=1000)
        report.parts["deliveries"] = time.perf_counter() - mark

    mark = time.perf_counter()
    _checkpoint()
    report.parts["checkpoint"] = time.perf_counter() - mark

    mark = time.perf_counter()
    if _refresh_statistics():
        report.parts["statistics"] = time.perf_counter() - mark
    report.seconds = time.perf_counter() - started
    return report


# SQLite settings of the worker's connection while it records a day's ladder steps, tens of
# thousands of small transactions: a bigger page cache (the task and urging indexes of a large
# installation stay in memory), a WAL checkpoint every ~40 MB instead of every 4 MB (each
# checkpoint waits for the disk) and memory-mapped reads (no system call per page read).
# Restored after the ladder. Measured in bench/worker_pass.py.
_BULK_PRAGMAS = {"cache_size": -65536, "wal_autocheckpoint": 10000, "mmap_size": 1 << 31}


@contextlib.contextmanager
def _bulk_writes() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        before = {}
        for name, value in _BULK_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            row = cursor.fetchone()
            if row is None:  # not applicable here (an in-memory database has no mmap)
                continue
            before[name] = row[0]
            cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")
            if not connection.in_atomic_block:  # the WAL written by the pass, back in the file
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


# SQLite's planner needs table statistics to choose well between indexes (a small unit's task
# list reads 7 ms with them, up to 700 ms without: bench/README, "Task lists"), and nothing
# else gathers them on the embedded default. A sampled ANALYZE (at most 400 rows per index)
# takes ~45 ms at 1,000,000 tasks; the worker runs it on its first pass and then hourly.
# PostgreSQL's autovacuum keeps its own statistics.
STATISTICS_EVERY_SECONDS = 3600.0
_statistics_at: float | None = None


def _refresh_statistics() -> bool:
    """Refresh SQLite's planner statistics when due; whether it did."""
    global _statistics_at
    if connection.vendor != "sqlite":
        return False
    moment = time.monotonic()
    if _statistics_at is not None and moment - _statistics_at < STATISTICS_EVERY_SECONDS:
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit = 400")
        cursor.execute("ANALYZE")
    _statistics_at = moment
    return True


def _checkpoint() -> None:
    """Sign a ledger checkpoint over the events since the last one once the oldest of them has
    waited BARO_LEDGER_CHECKPOINT_SECONDS (none waiting that long: nothing to do). Commands
    sign when due too (record_event); the pass covers the quiet times when none arrives."""
    try:
        checkpoint_if_due()
    except MissingKeyError:
        logger.warning("worker: ledger checkpoint skipped, no signing key")


def run_forever(
    interval: float,
    *,
    stop: threading.Event | None = None,
    log: Callable[[str], None] = print,
) -> None:
    """Passes every `interval` seconds until `stop` is set (or the process is stopped)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            report = run_pass()
            log(report.summary())
        except Exception:  # a pass that fails is logged; the next one tries again
            logger.exception("worker pass failed")
        finally:
            connection.close()
        stop.wait(interval)
