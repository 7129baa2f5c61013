"""Verify the database: its rows go through the export core as lines, then two checks only
the database allows (columns copied out of the hashed body, and the chain head).

This module needs Django (settings, models); baro.ledger.verify loads it only when
`verify_database` is first asked for, so verifying an export never imports Django.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from baro.ledger.canonical import DEFAULT_CHAIN, GENESIS_HASH, jsonable
from baro.ledger.export import LINE_FIELDS, chain_lines, event_rows, installation_public_key_pem
from baro.ledger.models import ChainHead
from baro.ledger.verify.core import verify_lines
from baro.ledger.verify.report import COLUMN_MISMATCH, HEAD_MISMATCH, Problem, VerifyReport

# Fields of LedgerEvent copied out of the hashed body (for queries); they must agree with it.
DENORMALISED = ("chain", "actor", "on_behalf_of", "action", "object_type", "object_id")
_CHECK_FIELDS = (*LINE_FIELDS, "occurred_at", *DENORMALISED)


def verify_database(chain: str | None = None) -> VerifyReport:
    """Feed the chain's rows through the export verifier, with the installation key, and
    check what the file cannot: columns copied out of the body, and the chain head."""
    chain = chain or DEFAULT_CHAIN
    # Read the head first and verify up to it: events appended meanwhile are not a mismatch.
    head = ChainHead.objects.filter(chain=chain).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    column_problem: list[Problem] = []

    def checked_rows() -> Iterator[tuple[Any, ...]]:
        for row in event_rows(chain, head_seq, _CHECK_FIELDS):
            yield row
            seq, body = row[0], row[3]
            try:
                data = json.loads(body)
            except ValueError:
                return  # the hash check reports the mangled body
            columns = dict(zip(("occurred_at", *DENORMALISED), row[4:], strict=True))
            columns["occurred_at"] = jsonable(columns["occurred_at"])
            wrong = [name for name, value in columns.items() if data.get(name) != value]
            if wrong:
                column_problem.append(
                    Problem(
                        COLUMN_MISMATCH,
                        seq,
                        f"cột {', '.join(wrong)} khác với nội dung đã băm của sự kiện.",
                    )
                )
                return

    report = verify_lines(
        chain_lines(chain, upto=head_seq, rows=checked_rows()),
        public_key_pem=installation_public_key_pem(),
        chain=chain,
        key_source="installation",
    )
    report.chain = chain
    if column_problem:
        # The rows stopped after the bad one; what the core saw past that is an artefact.
        found = report.problem
        first_seq = column_problem[0].seq
        if found is None or found.seq is None or (first_seq is not None and found.seq > first_seq):
            report.ok, report.problem = False, column_problem[0]
    if report.ok and (head_seq, head_hash) != (report.last_seq, report.last_hash):
        report.ok = False
        report.problem = Problem(
            HEAD_MISMATCH,
            report.last_seq + 1 if head_seq > report.last_seq else head_seq,
            f"đầu chuỗi ghi sự kiện cuối là số {head_seq} nhưng sổ cái dừng ở sự kiện "
            f"số {report.last_seq} (sự kiện cuối đã bị xóa hoặc sửa).",
        )
    return report
