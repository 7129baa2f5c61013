"""What does the ledger add to a command? Time of a typical command and record_event's share.

A "typical command" here is what every Baro command does: in one durable transaction, insert
a domain row (an organisation unit) and append its ledger event. Runs on a fresh SQLite
database in a temporary data directory (migrations applied), or on a scratch PostgreSQL
database given with --database-url (its tables are created and rows left there).

    .venv/bin/python bench/ledger_append.py [--commands 3000] [--database-url postgres://…]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (default: SQLite)")
    args = parser.parse_args()

    os.environ["BARO_DATA_DIR"] = tempfile.mkdtemp(prefix="baro-bench-")
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baro.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from baro.ledger.keys import ensure_signing_key
    from baro.ledger.models import LedgerCheckpoint
    from baro.ledger.services import record_event
    from baro.org.models import Unit, UnitKind

    call_command("migrate", verbosity=0)
    ensure_signing_key()
    print(
        f"database: {connection.vendor}; checkpoint every "
        f"{settings.BARO_LEDGER_CHECKPOINT_INTERVAL} events; {args.commands:,} commands"
    )

    tag = f"B{os.getpid()}"
    totals: list[float] = []
    in_ledger: list[float] = []
    for index in range(args.commands):
        began = time.perf_counter()
        with transaction.atomic(durable=True):
            unit = Unit.objects.create(
                code=f"{tag}-{index}",
                name=f"Phòng Kiểm tra số {index}",
                kind=UnitKind.DIVISION,
                path=f"{index:010d}.",
                valid_from=dt.date(2026, 1, 1),
                mandate="Kiểm tra, đôn đốc việc thực hiện nhiệm vụ được giao theo Chỉ thị 24.",
            )
            ledger_began = time.perf_counter()
            record_event(
                actor="person:1",
                action="org.unit.created",
                object_type="org.unit",
                object_id=unit.pk,
                payload={"code": unit.code, "name": unit.name, "kind": unit.kind},
            )
            in_ledger.append(time.perf_counter() - ledger_began)
        totals.append(time.perf_counter() - began)  # includes the commit

    def ms(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[int(q) - 1] * 1000

    total, ledger = sum(totals), sum(in_ledger)
    print(
        f"command: mean {total / len(totals) * 1000:.2f} ms, p50 {ms(totals, 50):.2f} ms, "
        f"p99 {ms(totals, 99):.2f} ms, max {max(totals) * 1000:.2f} ms "
        f"({len(totals) / total:,.0f} commands/s)"
    )
    interval = settings.BARO_LEDGER_CHECKPOINT_INTERVAL
    # Event i (1-based) signs a checkpoint when i % interval == 0: report those apart.
    signing = [t for i, t in enumerate(in_ledger, 1) if i % interval == 0]
    plain = [t for i, t in enumerate(in_ledger, 1) if i % interval]
    print(
        f"record_event: mean {ledger / len(in_ledger) * 1000:.2f} ms, "
        f"p50 {ms(plain, 50):.2f} ms, p99 {ms(plain, 99):.2f} ms without a checkpoint; "
        f"share of command time {ledger / total:.0%}"
    )
    if signing:
        print(
            f"record_event that signs a checkpoint over {interval} events: "
            f"mean {statistics.mean(signing) * 1000:.2f} ms"
        )
    print(f"checkpoints signed: {LedgerCheckpoint.objects.count()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
