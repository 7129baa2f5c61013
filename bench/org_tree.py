"""Benchmark of the registry's tree queries on 100,000 units.

    python bench/org_tree.py [--units 100000] [--samples 300]

Builds a 6-level tree (city → provinces → departments/districts → divisions → teams → groups)
with bulk inserts and correct materialised paths, in a temporary SQLite database, and also in
a temporary PostgreSQL database when DATABASE_URL is set (created next to it, dropped at the
end). Then prints the median and 95th percentile of: subtree count and first page of 50 for a
department-sized and a province-sized subtree, and ancestors of random leaves. Target: median
under 5 ms. Never run by the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pg_scratch import postgres_database  # bench/, on the path as the script's folder

ROOT = Path(__file__).resolve().parent.parent
# children per unit at each depth; the last level takes what is left to reach --units
FANOUT = [10, 30, 10, 8]


def _timed(fn: Callable[[], object], samples: int) -> tuple[float, float]:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def run(units: int, samples: int) -> None:
    """Inside one engine: migrate, build the tree, time the queries."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baro.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from baro.org import queries
    from baro.org.models import Unit, UnitKind
    from baro.org.services import unit_path

    call_command("migrate", verbosity=0)
    rng = random.Random(24)
    start_id = (Unit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    kinds = [
        UnitKind.PROVINCE,
        UnitKind.PROVINCE,
        UnitKind.DEPARTMENT,
        UnitKind.DIVISION,
        UnitKind.OTHER,
        UnitKind.OTHER,
    ]
    started = time.perf_counter()
    next_id = start_id
    levels: list[list[tuple[int, str]]] = []
    batch: list[Unit] = []
    day = __import__("datetime").date(2020, 1, 1)

    def add(parent: tuple[int, str] | None, depth: int) -> tuple[int, str]:
        nonlocal next_id
        pk = next_id
        next_id += 1
        path = unit_path(parent[1] if parent else "", pk)
        batch.append(
            Unit(
                id=pk,
                code=f"B{pk}",
                name=f"Đơn vị {pk}",
                kind=kinds[depth],
                parent_id=parent[0] if parent else None,
                path=path,
                depth=depth,
                valid_from=day,
            )
        )
        return pk, path

    levels.append([add(None, 0)])
    for depth, fanout in enumerate(FANOUT, start=1):
        levels.append([add(parent, depth) for parent in levels[-1] for _ in range(fanout)])
    remaining = units - (next_id - start_id)
    last = levels[-1]
    levels.append([add(last[i % len(last)], len(FANOUT) + 1) for i in range(max(0, remaining))])
    Unit.objects.bulk_create(batch, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does on a live installation: statistics, and the visibility map
            # without which PostgreSQL cannot count a subtree from the index alone.
            cursor.execute("VACUUM (ANALYZE) org_unit")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    total = Unit.objects.count()
    print(
        f"[{connection.vendor}] {total} đơn vị, {len(levels)} cấp, dựng trong {built:.1f} s "
        f"(cấp: {', '.join(str(len(level)) for level in levels)})"
    )

    by_pk = {unit.pk: unit for unit in Unit.objects.filter(depth__lte=2)}
    provinces = [by_pk[pk] for pk, _ in levels[1]]
    departments = [by_pk[pk] for pk, _ in levels[2]]
    leaves = list(Unit.objects.filter(pk__in=[pk for pk, _ in rng.sample(levels[-1], 500)]))

    cases: list[tuple[str, list[object], Callable[[object], object]]] = [
        ("subtree count, department (~330)", departments, lambda u: queries.subtree(u).count()),
        ("subtree page 50, department", departments, lambda u: list(queries.subtree(u)[:50])),
        ("subtree count, province (~10,000)", provinces, lambda u: queries.subtree(u).count()),
        ("subtree page 50, province", provinces, lambda u: list(queries.subtree(u)[:50])),
        ("ancestors of a leaf", leaves, lambda u: queries.ancestors(u)),  # type: ignore[arg-type]
    ]
    for label, pool, query in cases:
        size = queries.subtree(pool[0]).count() if "subtree" in label else None  # type: ignore[arg-type]
        median, p95 = _timed(lambda q=query, p=pool: q(rng.choice(p)), samples)
        extra = f" (e.g. {size} units)" if size else ""
        print(
            f"[{connection.vendor}] {label:36s} median {median:6.2f} ms  p95 {p95:6.2f} ms{extra}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        run(args.units, args.samples)
        return 0
    base = [sys.executable, __file__, "--units", str(args.units), "--samples", str(args.samples)]
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["BARO_DATA_DIR"] = data_dir
        subprocess.run([*base, "--engine", "sqlite"], env=env, check=True)
        url = os.environ.get("DATABASE_URL")
        if url:
            scratch, drop = postgres_database(url, prefix="baro_bench")
            try:
                subprocess.run(
                    [*base, "--engine", "postgres"],
                    env={**env, "DATABASE_URL": scratch},
                    check=True,
                )
            finally:
                drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
