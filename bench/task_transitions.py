"""How many task transitions per second does the service layer commit, and where does it spend?

Sets up, through the org and work services as a real installation would (fresh SQLite database
in a temporary data directory, or a scratch PostgreSQL database created next to DATABASE_URL and
dropped afterwards): a city, a department under it, a division under that, their heads and an
officer, then assigns N tasks. Then it times N × (accept, progress, submit, approve), each its
own service call, so each its own durable transaction with its one ledger event, and prints
transitions/s, mean/median/p95 per command, and where the time goes:

- timers around the pieces every transition runs (authority checks, the locked re-read of the
  task, field validation, the row update, record_event, BEGIN and COMMIT);
- the number and time of SQL statements per transition (an execute wrapper);
- with --profile, the top of a cProfile of the timed phase instead (no timers then).

    .venv/bin/python bench/task_transitions.py                      # SQLite, 1,000 tasks
    .venv/bin/python bench/task_transitions.py --tasks 3000 --repeat 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/task_transitions.py              # a scratch database there
    .venv/bin/python bench/task_transitions.py --profile            # cProfile, top 30

The SQLite database uses the installation's own settings (WAL, synchronous=NORMAL, IMMEDIATE
transactions): durable against a crash of the process, not against a power cut in WAL's last
commits. Never run by the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pg_scratch import postgres_database  # bench/, on the path as the script's folder

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ("accept", "progress", "submit", "approve")


class Timers:
    """Wall time per named piece, summed; a piece inside another is also inside its total."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.depth = 0

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - began
                self.calls[name] += 1

        return timed

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()


def _install_timers(timers: Timers) -> Callable[[], None]:
    """Wrap the pieces of a transition with timers; returns the function that unwraps them."""
    from django.db import connection

    from baro.ledger import services as ledger_services
    from baro.org import authority
    from baro.work.services import assigner, common, lead

    patched: list[tuple[Any, str, Any]] = []

    def patch(owner: Any, attribute: str, name: str) -> None:
        original = getattr(owner, attribute)
        patched.append((owner, attribute, original))
        setattr(owner, attribute, timers.wrap(name, original))

    def patch_commands(attribute: str, name: str) -> None:
        # The helper is imported by name into each module of commands, and read there: one
        # timer, wrapped wherever a transition looks it up.
        wrapped = timers.wrap(name, getattr(common, attribute))
        for owner in (common, lead, assigner):
            if hasattr(owner, attribute):
                patched.append((owner, attribute, getattr(owner, attribute)))
                setattr(owner, attribute, wrapped)

    patch(authority, "check", "authority check")
    patch_commands("locked_task", "locked re-read of the task")
    patch_commands("clean", "full_clean (inside the update)")
    patch_commands("save_task", "update of the task (with full_clean)")
    patch(lead, "insert_row", "insert of the progress report")
    patch(ledger_services, "record_event", "record_event")
    patch(ledger_services, "event_body", "  canonical JSON of the event")
    patch(ledger_services, "event_hash", "  SHA-256 of the event")
    patch(connection, "commit", "COMMIT")

    def undo() -> None:
        for owner, attribute, original in reversed(patched):
            setattr(owner, attribute, original)

    return undo


@contextmanager
def _sql_counter(stats: dict[str, list[float]]) -> Iterator[None]:
    """Count and time every SQL statement, by its first word (BEGIN, SELECT, INSERT…)."""
    from django.db import connection

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            verb = sql.lstrip().split(None, 1)[0].upper()
            stats[verb].append(time.perf_counter() - began)

    with connection.execute_wrapper(wrapper):
        yield


@dataclass
class Org:
    admin: Any
    root: Any
    dept: Any
    city_head: Any
    dept_head: Any
    officer: Any


def set_up_org() -> Org:
    """A city, a department, a division, their heads and an officer, by the org commands."""
    import datetime as dt

    from baro.org.models import Role, UnitKind
    from baro.org.services import bootstrap_installation, person_create, unit_create

    admin = bootstrap_installation(
        root_name="Thành phố Hà Nội",
        root_code="HN",
        admin_username="quantri",
        admin_password="bench-password-2026",
        admin_full_name="Quản Trị Hệ Thống",
        root_valid_from=dt.date(2020, 1, 1),
    )
    root = admin.positions.get().unit
    dept = unit_create(
        actor=admin, code="SO-NV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=root
    )
    division = unit_create(
        actor=admin,
        code="SO-NV-CCHC",
        name="Phòng Cải cách hành chính",
        kind=UnitKind.DIVISION,
        parent=dept,
    )
    city_head = person_create(
        actor=admin, unit=root, full_name="Nguyễn Văn Chủ Tịch", code="CT-HN", role=Role.HEAD
    )
    dept_head = person_create(
        actor=admin, unit=dept, full_name="Trần Thị Giám Đốc", code="GD-SNV", role=Role.HEAD
    )
    officer = person_create(
        actor=admin,
        unit=division,
        full_name="Lê Văn Chuyên Viên",
        code="CV-CCHC",
        role=Role.OFFICER,
    )
    return Org(admin, root, dept, city_head, dept_head, officer)


def _assign(tasks: int, root: Any, dept: Any, city_head: Any, officer: Any) -> list[Any]:
    """N tasks from the city to the department, the officer named, due in 10 working days."""
    from baro.work.models import DeadlineRule
    from baro.work.services import task_assign

    return [
        task_assign(
            actor=city_head,
            title=f"Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực số {index}",
            lead_unit=dept,
            assigning_unit=root,
            officer=officer,
            deadline_rule=DeadlineRule.WORKING_DAYS,
            deadline_days=10,
            expected_output="Báo cáo kết quả rà soát và phương án đơn giản hóa",
        )
        for index in range(tasks)
    ]


def _transitions(city_head: Any, dept_head: Any, officer: Any) -> dict[str, Callable[[Any], Any]]:
    """Each transition as the API and the pages give it: one command through run_command (its
    own durable transaction, the command's atomic a savepoint inside it)."""
    from baro.core.run import run_command
    from baro.work import services
    from baro.work.models import EffectivenessGrade, QualityGrade

    return {
        "accept": lambda task: run_command(services.task_accept, actor=dept_head, task=task),
        "progress": lambda task: run_command(
            services.task_report_progress,
            actor=officer,
            task=task,
            percent=60,
            text="Đã rà soát 42/70 thủ tục; đang lấy ý kiến các phòng chuyên môn.",
        ),
        "submit": lambda task: run_command(
            services.task_submit, actor=officer, task=task, note="Gửi báo cáo kết quả rà soát."
        ),
        "approve": lambda task: run_command(
            services.task_approve,
            actor=city_head,
            task=task,
            quality_grade=QualityGrade.GOOD,
            effectiveness_grade=EffectivenessGrade.EFFECTIVE,
        ),
    }


def _run_once(
    tasks: list[Any], run: dict[str, Callable[[Any], Any]], mode: str
) -> tuple[dict[str, list[float]], float, Timers, dict[str, list[float]]]:
    """Every command over every task (accept all, then progress all…); wall time per call."""
    timers = Timers()
    sql: dict[str, list[float]] = defaultdict(list)
    per_command: dict[str, list[float]] = {name: [] for name in COMMANDS}
    undo: Callable[[], None] = lambda: None  # noqa: E731
    profiler = cProfile.Profile() if mode == "profile" else None
    if mode == "timers":
        undo = _install_timers(timers)
    began_all = time.perf_counter()
    cpu_began = time.process_time()
    try:
        with _sql_counter(sql) if mode == "timers" else _nothing():
            if profiler:
                profiler.enable()
            for name in COMMANDS:
                command = run[name]
                for task in tasks:
                    began = time.perf_counter()
                    command(task)
                    per_command[name].append(time.perf_counter() - began)
            if profiler:
                profiler.disable()
    finally:
        undo()
    wall = time.perf_counter() - began_all
    timers.seconds["(CPU time of this process)"] = time.process_time() - cpu_began
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
    return per_command, wall, timers, sql


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _ms(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def run(tasks: int, repeat: int, modes: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baro.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from baro.ledger.models import LedgerEvent
    from baro.setup import initialise

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    initialise(verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cursor.fetchone()[0]]
        engine = f"sqlite (journal_mode={journal}, synchronous={sync})"
    else:
        engine = f"postgresql {connection.pg_version // 10000}"
    load = os.getloadavg()
    print(
        f"[{engine}] {tasks:,} tasks × {len(COMMANDS)} transitions, {repeat} run(s); "
        f"load average {load[0]:.2f} {load[1]:.2f}",
        flush=True,
    )
    org = set_up_org()
    for attempt, mode in enumerate([mode for mode in modes for _ in range(repeat)], 1):
        began = time.perf_counter()
        assigned = _assign(tasks, org.root, org.dept, org.city_head, org.officer)
        setup = time.perf_counter() - began
        events_before = LedgerEvent.objects.count()
        per_command, wall, timers, sql = _run_once(
            assigned, _transitions(org.city_head, org.dept_head, org.officer), mode
        )
        done = len(COMMANDS) * len(assigned)
        assert LedgerEvent.objects.count() - events_before == done, "one event per transition"
        print(
            f"run {attempt} ({mode}): {done:,} transitions in {wall:.2f} s = {done / wall:,.0f}/s "
            f"(set-up: {tasks:,} assignments {setup:.1f} s = {tasks / setup:,.0f}/s)"
        )
        cpu = timers.seconds.pop("(CPU time of this process)")
        print(
            f"  CPU {cpu / done * 1000:.3f} ms per transition (→ {done / cpu:,.0f}/s if the "
            "process had a core to itself; wall minus CPU: waiting for the disk or a core)"
        )
        for name in COMMANDS:
            values = per_command[name]
            print(
                f"  {name:9s} mean {statistics.mean(values) * 1000:5.2f} ms  "
                f"p50 {_ms(values, 50):5.2f} ms  p95 {_ms(values, 95):5.2f} ms  "
                f"→ {len(values) / sum(values):,.0f}/s"
            )
        if mode == "timers":
            print(f"  where the time goes (per transition; total {wall / done * 1000:.3f} ms):")
            for name, seconds in sorted(timers.seconds.items(), key=lambda item: -item[1]):
                print(
                    f"    {name:40s} {seconds / done * 1000:6.3f} ms "
                    f"{seconds / wall:4.0%}  ({timers.calls[name] / done:.2f} calls)"
                )
            statements = sum(len(times) for times in sql.values())
            seconds = sum(sum(times) for times in sql.values())
            print(
                f"  SQL: {statements / done:.2f} statements per transition, "
                f"{seconds / done * 1000:.3f} ms in execute ({seconds / wall:.0%}) — "
                + ", ".join(
                    f"{verb} {len(times) / done:.2f}× {sum(times) / len(times) * 1000:.3f} ms"
                    for verb, times in sorted(sql.items(), key=lambda item: -sum(item[1]))
                )
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="runs, each on fresh tasks")
    parser.add_argument(
        "--mode",
        action="append",
        choices=["plain", "timers", "profile"],
        help="plain: no instrumentation (the figure); timers: the breakdown; profile: cProfile "
        "(default: plain, then timers)",
    )
    parser.add_argument("--profile", action="store_true", help="same as --mode profile")
    parser.add_argument("--engine", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    modes = ["profile"] if args.profile else (args.mode or ["plain", "timers"])
    if args.engine:
        run(args.tasks, args.repeat, modes)
        return 0
    base = [sys.executable, __file__, "--tasks", str(args.tasks), "--repeat", str(args.repeat)]
    for mode in modes:
        base += ["--mode", mode]
    with tempfile.TemporaryDirectory(prefix="baro-bench-") as data_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["BARO_DATA_DIR"] = data_dir
        url = os.environ.get("DATABASE_URL")
        if not url:
            subprocess.run([*base, "--engine", "sqlite"], env=env, check=True)
            return 0
        scratch, drop = postgres_database(url, prefix="baro_bench_tasks")
        try:
            subprocess.run(
                [*base, "--engine", "postgres"], env={**env, "DATABASE_URL": scratch}, check=True
            )
        finally:
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
