"""Benchmark of one worker pass (`baro worker --once`) over a large number of open tasks.

    python bench/worker_pass.py [--tasks 1000000] [--due 50000] [--data-dir DIR]

Builds, in a temporary SQLite database (or DIR, reused when it already holds the same set-up),
a tree of ~2,000 units with a head in each and an officer in most, and `--tasks` open tasks
(assigned or in progress), of which `--due` need exactly one ladder step today:
a quarter each due for a reminder, an urging at the deadline, an escalation to the lead's
head and one to the assigner's head (their earlier steps already recorded). Of the others,
10% are overdue with every step due so far already recorded (the pass must find nothing to
do for them) and the rest are due later than the reminder window. All were updated recently
and have progress above 0%, so the detectors have little to raise: the figure is the ladder
and the scans, not a flood of flags.

SET-UP ONLY: units, people, tasks and the earlier urgings are written with bulk inserts,
bypassing the services and the ledger (Baro's rule has one exception: a benchmark's fixture,
so that a million rows take seconds instead of hours). The measured pass is the real one:
every step through its command, its own transaction and its ledger event.

Prints the pass's time, its parts, the steps per second, and a second pass (nothing due: the
cost of the scans alone). Target: under 30 s for 1,000,000 tasks with 50,000 steps on SQLite.
Never run by the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FANOUT = [20, 5, 19]  # 1 + 20 + 100 + 1,900 = 2,021 units


def build(tasks: int, due: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from baro.core.timeutil import today
    from baro.org.models import Person, Position, Role, Unit, UnitKind
    from baro.org.services import unit_path
    from baro.oversight.ladder import DEFAULT_LADDER, latest_due_deadline
    from baro.oversight.models import AUTOMATIC_STEPS, LadderStep
    from baro.work.models import Task, TaskStatus
    from baro.workdays.calendar import add_working_days

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF")  # set-up speed only; reset before measuring
    call_command("migrate", verbosity=0)
    rng = random.Random(24)
    day = today()
    started = time.perf_counter()

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
    root = levels[0][0]
    heads = Person.objects.bulk_create(
        [Person(full_name=f"Thủ trưởng {u.pk}", code=f"TT{u.pk}") for u in units]
    )
    officers = Person.objects.bulk_create(
        [Person(full_name=f"Chuyên viên {u.pk}", code=f"CV{u.pk}") for u in units]
    )
    Position.objects.bulk_create(
        [
            Position(person=p, unit=u, role=Role.HEAD, valid_from=dt.date(2020, 1, 1))
            for p, u in zip(heads, units, strict=True)
        ]
        + [
            Position(person=p, unit=u, role=Role.OFFICER, valid_from=dt.date(2020, 1, 1))
            for p, u in zip(officers, units, strict=True)
        ]
    )
    officer_of = {u.pk: p.pk for u, p in zip(units, officers, strict=True)}
    leads = [u.pk for u in levels[3]] * 6 + [u.pk for u in levels[2]] * 4
    leads += [u.pk for u in levels[1]]

    # The deadline that puts a task exactly at each step today (earlier steps recorded).
    ladder = DEFAULT_LADDER
    at_step = {step: latest_due_deadline(ladder, step, day) for step in AUTOMATIC_STEPS}
    due_steps = [
        LadderStep.REMIND,
        LadderStep.URGE,
        LadderStep.ESCALATE_HEAD,
        LadderStep.ESCALATE_ASSIGNER_HEAD,
    ]
    # Overdue tasks whose every step so far is recorded: between the assigner's head and the
    # inspection flag (deadline later than the flag's threshold, earlier than the escalation's).
    settled_from = at_step[LadderStep.INSPECTION_FLAG] + dt.timedelta(days=1)
    settled_to = at_step[LadderStep.ESCALATE_ASSIGNER_HEAD] - dt.timedelta(days=1)
    settled_steps = [LadderStep.URGE, LadderStep.ESCALATE_HEAD, LadderStep.ESCALATE_ASSIGNER_HEAD]
    later_from = add_working_days(day, ladder.remind_days_before + 2)

    fields = [f for f in Task._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    defaults = {f.column: f.get_default() for f in fields}
    moment = timezone.now()
    plan: list[tuple[dt.date, list[str]]] = []  # per task: deadline, steps already recorded
    settled = (tasks - due) // 10
    for n in range(tasks):
        if n < due:
            step = due_steps[n % 4]
            deadline = at_step[step]
            done = list(AUTOMATIC_STEPS[: AUTOMATIC_STEPS.index(step)])
        elif n < due + settled:
            span = (settled_to - settled_from).days
            deadline = settled_from + dt.timedelta(days=rng.randint(0, max(span, 0)))
            done = settled_steps
        else:
            deadline = later_from + dt.timedelta(days=rng.randint(0, 200))
            done = []
        plan.append((deadline, done))

    def rows():
        for n, (deadline, _) in enumerate(plan):
            lead = rng.choice(leads)
            values = {
                **defaults,
                "title": f"Nhiệm vụ số {n}: triển khai kế hoạch chuyển đổi số",
                "assigner_id": heads[0].pk,
                "assigning_unit_id": root.pk,
                "lead_unit_id": lead,
                "officer_id": officer_of[lead],
                "status": TaskStatus.IN_PROGRESS,
                "deadline": deadline,
                "deadline_rule": "date",
                "assigned_on": min(day, deadline) - dt.timedelta(days=10),
                "percent": rng.randint(10, 90),
                "last_progress_at": moment - dt.timedelta(hours=rng.randint(1, 72)),
                "created_at": moment,
            }
            yield tuple(values[c] for c in columns)

    placeholders = ", ".join("%s" for _ in columns)
    sql = f"INSERT INTO work_task ({', '.join(columns)}) VALUES ({placeholders})"
    generator = rows()
    with connection.cursor() as cursor:
        while batch := [row for _, row in zip(range(50_000), generator, strict=False)]:
            cursor.executemany(sql, batch)
        first_id = Task.objects.order_by("pk").values_list("pk", flat=True).first()
        urgings = []
        for offset, (deadline, done) in enumerate(plan):
            for step in done:
                urgings.append((first_id + offset, deadline, step, root.pk, heads[0].pk, moment))
        cursor.executemany(
            "INSERT INTO oversight_urging (task_id, deadline, step, target_unit_id, urged_by_id, "
            "note, created_at) VALUES (%s, %s, %s, %s, %s, '', %s)",
            urgings,
        )
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA synchronous=NORMAL")
    print(
        f"dựng {tasks:,} nhiệm vụ đang mở ({due:,} đến bước đôn đốc hôm nay, {settled:,} quá hạn "
        f"đã đôn đốc đủ), {len(urgings):,} lượt đôn đốc có sẵn, {len(units):,} đơn vị: "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )


def measure() -> None:
    from baro.ledger.models import LedgerEvent
    from baro.worker import run_pass

    events_before = LedgerEvent.objects.count()
    before = resource.getrusage(resource.RUSAGE_SELF)
    report = run_pass()
    after = resource.getrusage(resource.RUSAGE_SELF)
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    steps = sum(report.steps.values())
    events = LedgerEvent.objects.count() - events_before
    parts = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.parts.items())
    print(
        f"lượt 1: {report.seconds:.2f} s (CPU: {user:.2f} s người dùng, {system:.2f} s hệ thống) "
        f"— {steps:,} bước "
        f"({dict(report.steps)}), {report.flags:,} dấu hiệu, {events:,} sự kiện sổ cái; {parts}"
    )
    if report.parts.get("ladder"):
        print(f"  đôn đốc: {steps / report.parts['ladder']:,.0f} bước/giây")
    again = run_pass()
    parts = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in again.parts.items())
    print(
        f"lượt 2 (không còn gì đến hạn): {again.seconds:.2f} s — "
        f"{sum(again.steps.values())} bước, {again.flags} dấu hiệu; {parts}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=50_000)
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="baro-bench-worker-")
    os.environ["BARO_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baro.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from baro.setup import initialise

    for _ in initialise(verbosity=0):
        pass
    build(args.tasks, args.due)
    measure()


if __name__ == "__main__":
    main()
