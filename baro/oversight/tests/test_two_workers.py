"""Two `baro worker --once` processes at the same time on one database record every ladder
step and raise every flag exactly once.

The test builds its own database (a scratch PostgreSQL database when DATABASE_URL points at
PostgreSQL, else a SQLite file), because two worker processes cannot share the test run's
in-memory SQLite database or see its uncommitted transaction. The set-up runs in a child
process through the real commands (`seed` below, run as `python -m` on this module); the workers
run as the `baro` command.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

TASKS = 120
REPO = Path(__file__).resolve().parents[3]


def seed() -> None:
    """Run in a child process with the scratch database configured: a city, two departments
    with heads and officers, and TASKS tasks due in 5 working days."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baro.settings")
    django.setup()
    from baro.org.models import Role, system_person
    from baro.org.services import person_create, unit_create
    from baro.work.models import DeadlineRule
    from baro.work.services import task_accept, task_assign

    system = system_person()
    city = unit_create(actor=system, code="HN", name="Thành phố Hà Nội", kind="province")
    depts = [
        unit_create(actor=system, code=f"S{n}", name=f"Sở {n}", kind="department", parent=city)
        for n in (1, 2)
    ]
    chairman = person_create(
        actor=system, unit=city, full_name="Chủ Tịch", code="CT", role=Role.HEAD
    )
    person_create(actor=system, unit=city, full_name="Kiểm Tra", code="KT", role=Role.INSPECTOR)
    heads = [
        person_create(
            actor=system, unit=d, full_name=f"Giám đốc {d.code}", code=f"GD{d.code}", role=Role.HEAD
        )
        for d in depts
    ]
    officers = [
        person_create(
            actor=system,
            unit=d,
            full_name=f"Chuyên viên {d.code}",
            code=f"CV{d.code}",
            role=Role.OFFICER,
        )
        for d in depts
    ]
    for n in range(TASKS):
        index = n % 2
        task = task_assign(
            actor=chairman,
            title=f"Nhiệm vụ thử số {n}",
            lead_unit=depts[index],
            assigning_unit=city,
            officer=officers[index],
            deadline_rule=DeadlineRule.WORKING_DAYS,
            deadline_days=5,
        )
        if n % 3:
            task_accept(actor=heads[index], task=task)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    """The real clock: the child processes run on it (the package's frozen clock is not theirs)."""
    yield None


@pytest.fixture
def scratch_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_"))
    }
    env["BARO_DATA_DIR"] = str(tmp_path / "data")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env.pop("DATABASE_URL", None)
        yield env
        return
    import psycopg

    parts = urlsplit(url)
    name = f"baro_two_workers_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _baro(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "baro", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _count(env: dict[str, str], code: str) -> str:
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'baro.settings'); "
        f"django.setup(); {code}"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def test_two_workers_at_once_record_each_step_and_flag_once(scratch_env: dict[str, str]) -> None:
    assert _baro(scratch_env, "init", "--quiet").returncode == 0
    subprocess.run(
        [sys.executable, "-m", "baro.oversight.tests.test_two_workers"],  # runs seed()
        env=scratch_env,
        cwd=REPO,
        check=True,
        timeout=600,
    )
    later = (dt.date.today() + dt.timedelta(days=70)).isoformat()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "baro", "worker", "--once", "--date", later],
            env=scratch_env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=600) for worker in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert "Traceback" not in err, err

    figures = _count(
        scratch_env,
        "from django.db.models import Count; "
        "from baro.oversight.models import Urging, Flag; "
        "from baro.ledger.models import LedgerEvent; "
        "dupes = Urging.objects.values('task', 'deadline', 'step')"
        ".annotate(n=Count('id')).filter(n__gt=1).count(); "
        "print(Urging.objects.count(), dupes, "
        "LedgerEvent.objects.filter(action__startswith='oversight.ladder.').count(), "
        "Flag.objects.count(), "
        "LedgerEvent.objects.filter(action='oversight.flag.raised').count(), "
        "Flag.objects.filter(kind='ladder_inspection').count())",
    )
    urgings, dupes, step_events, flags, flag_events, ladder_flags = map(int, figures.split())
    # 70 days on, every task is far overdue: urge, two escalations and the inspection flag.
    assert urgings == TASKS * 4
    assert dupes == 0
    assert step_events == urgings  # one event per step, none for a step the other worker took
    assert ladder_flags == TASKS
    assert flag_events == flags - ladder_flags  # detector flags: one event each
    # Each step was counted by exactly one of the two workers.
    recorded = [int(out.split("Đôn đốc ")[1].split(" ")[0]) for out, _ in outputs]
    assert sum(recorded) == urgings, outputs


if __name__ == "__main__":
    seed()
