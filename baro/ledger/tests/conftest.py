"""Fixtures of the ledger tests: a chain of events, an export of it, raw tampering."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, transaction

from baro.ledger.export import export_chain
from baro.ledger.models import LedgerEvent
from baro.ledger.services import record_event

NOTES = [
    "Giao Sở Xây dựng chủ trì rà soát quy hoạch.",
    "Đôn đốc lần 1: quá hạn 2 ngày làm việc.",
    "Người dân phản ánh lấn chiếm vỉa hè phố Hàng Bông.",
]


@pytest.fixture
def make_events(settings: object) -> Callable[..., list[LedgerEvent]]:
    """Record n events (a checkpoint every `interval`) in one command's transaction."""

    def make(n: int, *, interval: int = 5) -> list[LedgerEvent]:
        settings.BARO_LEDGER_CHECKPOINT_INTERVAL = interval
        with transaction.atomic():
            return [
                record_event(
                    actor=f"person:{index % 4 + 1}",
                    action="work.task.progress_reported",
                    object_type="work.task",
                    object_id=index,
                    payload={"note": NOTES[index % len(NOTES)], "percent": index * 3 % 100},
                )
                for index in range(1, n + 1)
            ]

    return make


@pytest.fixture
def exported(tmp_path: Path) -> Callable[[], Path]:
    def export() -> Path:
        path = tmp_path / "ledger.export"
        export_chain(path)
        return path

    return export


def _append_only_triggers() -> list[str]:
    if connection.vendor == "postgresql":
        return [
            "DROP TRIGGER ledger_ledgerevent_append_only ON ledger_ledgerevent",
            "DROP TRIGGER ledger_ledgercheckpoint_append_only ON ledger_ledgercheckpoint",
        ]
    return [
        f"DROP TRIGGER ledger_{table}_no_{verb}"
        for table in ("ledgerevent", "ledgercheckpoint")
        for verb in ("update", "delete")
    ]


@pytest.fixture
def tamper() -> Callable[..., None]:
    """Run raw SQL as an attacker with database access would: triggers dropped first.

    DDL is transactional on SQLite and PostgreSQL, so the dropped triggers come back when the
    test's transaction rolls back.
    """

    def run(*statements: str | tuple[str, list[object]]) -> None:
        with connection.cursor() as cursor:
            for drop in _append_only_triggers():
                cursor.execute(drop)
            for statement in statements:
                sql, params = statement if isinstance(statement, tuple) else (statement, [])
                cursor.execute(sql, params)

    return run
