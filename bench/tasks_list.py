"""Benchmark of the "everything under my units" task list at 1,000,000 tasks.

    python bench/tasks_list.py [--tasks 1000000] [--samples 60] [--index none|all]

Builds, in a temporary SQLite database (and a temporary PostgreSQL database when DATABASE_URL
is set, created next to it and dropped at the end): a tree of ~2,000 units (city → 20
departments/districts → 5 divisions each → 19 teams each), a head at the city and at one
department, and 1,000,000 tasks spread over the tree with realistic statuses and deadlines.

SET-UP ONLY: the units and the tasks are written with bulk inserts (executemany on SQLite,
COPY on PostgreSQL), bypassing the services and the ledger. Baro's rule is that domain rows
change only through services; a benchmark's fixture is the one exception, so that a million
rows take seconds instead of hours. The measured part only reads.

Measured, for the city head (the subtree is the whole tree) and a department head (~1/20):
queries.lists.task_list(scope=UNDER, filters=timing) — the page's query, including reading
the actor's positions — then its count and its first page of 50 rows, as the list page does.
Prints median and p95 in milliseconds. Target: median under 100 ms on both engines.

--index all adds, with raw SQL, the index proposed for baro/work/models.py (printed at the
start), to measure its effect; the default measures the schema as migrated.
Never run by the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pg_scratch import postgres_database  # bench/, on the path as the script's folder

ROOT = Path(__file__).resolve().parent.parent
FANOUT = [20, 5, 19]  # 1 + 20 + 100 + 1,900 = 2,021 units


def _timed(fn: Callable[[], object], samples: int) -> tuple[float, float]:
    fn()  # warm the caches once, as a server that has been running would be
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def run(tasks: int, samples: int) -> None:
    """Inside one engine: migrate, build the tree and the tasks, time the list."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baro.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from baro.core.timeutil import today
    from baro.org.models import Person, Position, Role, Unit, UnitKind
    from baro.org.services import unit_path
    from baro.work.models import Task, TaskStatus

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Set-up speed only (a crash here loses nothing of value); reset before measuring.
            cursor.execute("PRAGMA synchronous=OFF")
    call_command("migrate", verbosity=0)
    rng = random.Random(24)
    day = today()
    started = time.perf_counter()
    if Task.objects.count() == tasks and Person.objects.filter(code="CB2").exists():
        # --data-dir / --pg-db: a database built by an earlier run (same seed, same rows).
        measure(tasks, samples, reused=True)
        return

    # ---- units (bulk, set-up only)
    kinds = [UnitKind.PROVINCE, UnitKind.DEPARTMENT, UnitKind.DIVISION, UnitKind.OTHER]
    next_id = (Unit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    units: list[Unit] = []
    levels: list[list[Unit]] = []

    def add(parent: Unit | None, depth: int) -> Unit:
        nonlocal next_id
        unit = Unit(
            id=next_id,
            code=f"B{next_id}",
            name=f"Đơn vị {next_id}",
            kind=kinds[depth],
            parent_id=parent.pk if parent else None,
            path=unit_path(parent.path if parent else "", next_id),
            depth=depth,
            valid_from=dt.date(2020, 1, 1),
        )
        next_id += 1
        units.append(unit)
        return unit

    levels.append([add(None, 0)])
    for depth, fanout in enumerate(FANOUT, start=1):
        levels.append([add(parent, depth) for parent in levels[-1] for _ in range(fanout)])
    Unit.objects.bulk_create(units, batch_size=2000)
    root, department, ward = levels[0][0], levels[1][0], levels[2][0]

    people = Person.objects.bulk_create(
        [Person(full_name=f"Cán bộ {n}", code=f"CB{n}") for n in range(500)]
    )
    Position.objects.bulk_create(
        [
            Position(person=head, unit=unit, role=Role.HEAD, valid_from=dt.date(2020, 1, 1))
            for head, unit in zip(people, (root, department, ward), strict=False)
        ]
    )

    # ---- tasks (bulk, set-up only)
    fields = [f for f in Task._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    defaults = {f.column: f.get_default() for f in fields}
    statuses = (
        [TaskStatus.COMPLETED] * 45
        + [TaskStatus.IN_PROGRESS] * 32
        + [TaskStatus.ASSIGNED] * 10
        + [TaskStatus.SUBMITTED] * 8
        + [TaskStatus.CANCELLED] * 4
        + [TaskStatus.DISPUTED] * 1
    )
    # Most tasks sit in the teams and divisions; a few are led by departments or the city.
    leads = (
        [u.pk for u in levels[3]] * 6 + [u.pk for u in levels[2]] * 4 + [u.pk for u in levels[1]]
    )
    assigners = [p.pk for p in people[:60]]
    officers = [p.pk for p in people]
    moment = timezone.now()

    def task_rows() -> Iterator[tuple[object, ...]]:
        for n in range(tasks):
            status = rng.choice(statuses)
            assigned_on = day - dt.timedelta(days=rng.randint(0, 730))
            deadline = assigned_on + dt.timedelta(days=rng.randint(5, 180))
            completed_on = None
            if status == TaskStatus.COMPLETED:
                completed_on = min(day, deadline + dt.timedelta(days=rng.randint(-40, 25)))
                completed_on = max(completed_on, assigned_on)
            reported = None
            if status != TaskStatus.ASSIGNED and rng.random() < 0.8:
                reported = moment - dt.timedelta(hours=rng.randint(1, 24 * 60))
            values = {
                **defaults,
                "title": f"Nhiệm vụ số {n}: triển khai kế hoạch chuyển đổi số",
                "assigner_id": rng.choice(assigners),
                "assigning_unit_id": root.pk,
                "lead_unit_id": rng.choice(leads),
                "officer_id": rng.choice(officers) if rng.random() < 0.7 else None,
                "status": status,
                "deadline": deadline,
                "deadline_rule": "date",
                "assigned_on": assigned_on,
                "completed_on": completed_on,
                "percent": 100 if completed_on else rng.randint(0, 95),
                "last_progress_at": reported,
                "created_at": moment,
            }
            yield tuple(values[c] for c in columns)

    if connection.vendor == "postgresql":
        raw = connection.connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY work_task ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for values in task_rows():
                copy.write_row(values)
        raw.commit()
    else:
        placeholders = ", ".join("%s" for _ in columns)
        sql = f"INSERT INTO work_task ({', '.join(columns)}) VALUES ({placeholders})"
        rows = task_rows()
        with connection.cursor() as cursor:
            while batch := [row for _, row in zip(range(50_000), rows, strict=False)]:
                cursor.executemany(sql, batch)
    with connection.cursor() as cursor:
        # What autovacuum / a periodic ANALYZE does on a live installation.
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous=NORMAL")
    built = time.perf_counter() - started
    print(
        f"[{connection.vendor}] {Task.objects.count():,} nhiệm vụ, {len(units):,} đơn vị, "
        f"dựng trong {built:.1f} s"
    )

    measure(tasks, samples, reused=False)


def measure(tasks: int, samples: int, *, reused: bool) -> None:
    """Time the list's first page and its counts for the three heads."""
    from django.db import connection

    from baro.core.timeutil import today
    from baro.org.models import Person
    from baro.work.queries import lists
    from baro.work.rules import TimingStatus

    day = today()
    heads = {p.code: p for p in Person.objects.filter(code__in=["CB0", "CB1", "CB2"])}
    actors = (
        ("city head", heads["CB0"]),
        ("department head", heads["CB1"]),
        ("ward head", heads["CB2"]),
    )
    if reused:
        print(f"[{connection.vendor}] {tasks:,} nhiệm vụ (cơ sở dữ liệu dựng sẵn)")

    cap = 10_000  # the list page's count cap (BARO_LIST_COUNT_CAP)

    def page(actor: Person, timing: str) -> tuple[int, int]:
        """What the list page asks: the rows of the page, its capped count, and whether the
        scope is small enough to count the grid with the page."""
        filters = lists.TaskFilters(timing=timing)
        qs = lists.task_list(actor, scope=lists.Scope.UNDER, filters=filters, today=day)
        count = lists.count_up_to(qs, cap)
        shown = len(list(qs[:50]))
        whole = lists.task_list(actor, scope=lists.Scope.UNDER, today=day)
        lists.count_up_to(whole, cap)
        return count, shown

    def exact(actor: Person, timing: str) -> int:
        filters = lists.TaskFilters(timing=timing)
        return lists.task_list(actor, scope=lists.Scope.UNDER, filters=filters, today=day).count()

    for who, actor in actors:
        for timing in (TimingStatus.IN_PROGRESS_OVERDUE, TimingStatus.IN_PROGRESS_ON_TIME):
            count, shown = page(actor, timing)
            median, p95 = _timed(lambda a=actor, t=timing: page(a, t), samples)
            total = exact(actor, timing)
            shown_count = f"hơn {cap:,}" if count > cap else f"{count:,}"
            print(
                f"[{connection.vendor}] page, {who:15s} {timing:20s} {total:>8,} tasks "
                f"(page says {shown_count}), {shown} rows: "
                f"median {median:7.2f} ms  p95 {p95:7.2f} ms"
            )
            median, p95 = _timed(lambda a=actor, t=timing: exact(a, t), max(5, samples // 4))
            print(
                f"[{connection.vendor}]   exact count (API): median {median:7.2f} ms  "
                f"p95 {p95:7.2f} ms"
            )
    # the grid: counts per timing status over the whole scope (the page's counts fragment)
    for who, actor in actors:
        qs = lists.task_list(actor, scope=lists.Scope.UNDER, today=day)
        median, p95 = _timed(lambda q=qs: lists.timing_counts(q, day), max(5, samples // 4))
        print(
            f"[{connection.vendor}] grid counts, {who:15s}: "
            f"median {median:7.2f} ms  p95 {p95:7.2f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument(
        "--engine", choices=["both", "sqlite", "postgres"], default="both", help="which engines"
    )
    parser.add_argument("--data-dir", help="keep (and reuse) the SQLite database in this folder")
    parser.add_argument("--pg-db", help="keep (and reuse) this PostgreSQL database")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        run(args.tasks, args.samples)
        return 0
    base = [sys.executable, __file__, "--inner", "--tasks", str(args.tasks)]
    base += ["--samples", str(args.samples)]
    with tempfile.TemporaryDirectory() as scratch_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["BARO_DATA_DIR"] = args.data_dir or scratch_dir
        if args.engine in ("both", "sqlite"):
            subprocess.run(base, env=env, check=True)
        url = os.environ.get("DATABASE_URL")
        if url and args.engine in ("both", "postgres"):
            database, drop = postgres_database(url, keep=args.pg_db)
            try:
                subprocess.run(base, env={**env, "DATABASE_URL": database}, check=True)
            finally:
                drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
