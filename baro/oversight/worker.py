"""One pass of Baro's worker: the urging ladder, the avoidance detectors, the notification
outbox and the ledger's checkpoint. `baro worker` runs passes on a schedule; `--once` one.

Every part is idempotent, so a pass can be repeated, interrupted or run by two workers at once:
a ladder step is recorded by its own command, which re-reads the task under lock and records
nothing when the step exists (with the database's unique (task, deadline, step) behind it);
a flag is raised once per key; deliveries are claimed one by one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from baro.core.timeutil import today as current_day
from baro.org.models import Person, system_person
from baro.oversight.ladder import DEFAULT_LADDER, Ladder, latest_due_deadline
from baro.oversight.models import AUTOMATIC_STEPS, LadderConfig, LadderStep
from baro.oversight.people import inspectors_over, persons_by_id
from baro.oversight.services import LADDER_STATUSES, LadderCandidate, ladder_step_record

logger = logging.getLogger(__name__)

_HEAD_OF = (
    '(SELECT p."person_id" FROM "org_position" p WHERE p."unit_id" = t."{column}" '
    'AND p."role" = \'head\' AND p."valid_from" <= %s '
    'AND (p."valid_to" IS NULL OR p."valid_to" > %s) ORDER BY p."valid_from" DESC LIMIT 1)'
)


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


def ladders_in_use() -> tuple[Ladder, dict[int, Ladder]]:
    """The installation's ladder and each directive's own, by directive id."""
    default = DEFAULT_LADDER
    own: dict[int, Ladder] = {}
    for config in LadderConfig.objects.all():
        ladder = Ladder(
            remind_days_before=config.remind_days_before,
            escalate_head_after=config.escalate_head_after,
            escalate_assigner_head_after=config.escalate_assigner_head_after,
            inspection_flag_after=config.inspection_flag_after,
        )
        if config.directive_id is None:
            default = ladder
        else:
            own[config.directive_id] = ladder
    return default, own


def due_candidates(
    step: str,
    ladder: Ladder,
    day: dt.date,
    *,
    directive_id: int | None = None,
    exclude_directives: Iterable[int] = (),
) -> list[LadderCandidate]:
    """Open tasks whose `step` is due on `day` and not yet recorded for their deadline."""
    latest = latest_due_deadline(ladder, step, day)
    where = ['t."status" IN (%s, %s)', 't."deadline" <= %s']
    params: list[Any] = [*LADDER_STATUSES, latest.isoformat()]
    if step == LadderStep.REMIND:
        where.append('t."deadline" > %s')  # a reminder after the deadline would be an urging
        params.append(day.isoformat())
    if directive_id is not None:
        where.append('t."directive_id" = %s')
        params.append(directive_id)
    else:
        excluded = list(exclude_directives)
        if excluded:
            marks = ", ".join(["%s"] * len(excluded))
            where.append(f'(t."directive_id" IS NULL OR t."directive_id" NOT IN ({marks}))')
            params.extend(excluded)
    where.append(
        'NOT EXISTS (SELECT 1 FROM "oversight_urging" u WHERE u."task_id" = t."id" '
        'AND u."deadline" = t."deadline" AND u."step" = %s)'
    )
    params.append(step)
    iso = day.isoformat()
    # Identifiers are constants and every value a parameter.
    sql = (
        'SELECT t."id", t."deadline", t."title", t."lead_unit_id", t."assigning_unit_id", '  # noqa: S608
        f't."officer_id", {_HEAD_OF.format(column="lead_unit_id")}, '
        f"{_HEAD_OF.format(column='assigning_unit_id')} "
        f'FROM "work_task" t WHERE {" AND ".join(where)} ORDER BY t."deadline", t."id"'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [iso, iso, iso, iso, *params])
        rows = cursor.fetchall()
    return [
        LadderCandidate(
            task_id=row[0],
            deadline=row[1] if isinstance(row[1], dt.date) else dt.date.fromisoformat(row[1]),
            title=row[2],
            lead_unit_id=row[3],
            assigning_unit_id=row[4],
            officer_id=row[5],
            lead_head_id=row[6],
            assigning_head_id=row[7],
        )
        for row in rows
    ]


def run_ladder(
    day: dt.date | None = None,
    *,
    actor: Person | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Counter[str]:
    """Record every ladder step due on `day`, step by step in the ladder's order, so a task
    that missed several (the worker was down) gets them all, in order. Returns the counts."""
    day = day or current_day()
    actor = actor or system_person()
    default, own = ladders_in_use()
    recorded: Counter[str] = Counter()
    inspectors_cache: dict[int, list[Person]] = {}
    for step in AUTOMATIC_STEPS:
        batches = [due_candidates(step, default, day, exclude_directives=own.keys())]
        batches += [
            due_candidates(step, ladder, day, directive_id=directive_id)
            for directive_id, ladder in own.items()
        ]
        candidates = [c for batch in batches for c in batch]
        if not candidates:
            continue
        people = persons_by_id(
            pk
            for c in candidates
            for pk in (c.officer_id, c.lead_head_id, c.assigning_head_id)
            if pk is not None
        )
        for index, candidate in enumerate(candidates, start=1):
            inspectors: list[Person] = []
            if step == LadderStep.INSPECTION_FLAG:
                if candidate.lead_unit_id not in inspectors_cache:
                    from baro.org.models import Unit

                    unit = Unit.objects.get(pk=candidate.lead_unit_id)
                    inspectors_cache[candidate.lead_unit_id] = inspectors_over(unit, day)
                inspectors = inspectors_cache[candidate.lead_unit_id]
            urging = ladder_step_record(
                actor=actor,
                candidate=candidate,
                step=step,
                people=people,
                inspectors=inspectors,
            )
            if urging is not None:
                recorded[step] += 1
            if progress is not None and index % 1000 == 0:
                progress(step, index, len(candidates))
    return recorded


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
        from baro.oversight.detectors import run_detectors

        mark = time.perf_counter()
        report.flags = run_detectors(day, actor=actor)
        report.parts["detectors"] = time.perf_counter() - mark

    if deliveries:
        from baro.notify.services import deliver_due

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
    """Sign a ledger checkpoint over the events since the last one (none: nothing to do)."""
    from baro.ledger.checkpoints import checkpoint_create
    from baro.ledger.keys import MissingKeyError

    try:
        checkpoint_create()
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
