"""`baro org …`: registry tools (import)."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    org = sub.add_parser("org", help="cơ cấu tổ chức: nhập từ tệp")
    org.add_subparsers(dest="org_command", metavar="LỆNH", required=True)
