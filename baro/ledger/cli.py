"""`baro ledger …`: verify, export, checkpoint."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    ledger = sub.add_parser("ledger", help="sổ cái: kiểm tra, xuất, chốt")
    ledger.add_subparsers(dest="ledger_command", metavar="LỆNH", required=True)
