"""Verify the database: its rows go through the export core as lines, then two checks only
the database allows (columns copied out of the hashed body, and the chain head).

This module needs Django (settings, models); baro.ledger.verify loads it only when
`verify_database` is first asked for, so verifying an export never imports Django.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from cryptography.exceptions import InvalidSignature

from baro.ledger.canonical import DEFAULT_CHAIN, GENESIS_HASH, jsonable
from baro.ledger.export import LINE_FIELDS, chain_lines, event_rows, installation_public_key_pem
from baro.ledger.merkle import DIGEST_SIZE, root_from_leaves
from baro.ledger.models import ChainHead, LedgerCheckpoint, LedgerEvent
from baro.ledger.verify.core import verify_lines
from baro.ledger.verify.keys import load_public_key
from baro.ledger.verify.report import (
    CHECKPOINT_MISMATCH,
    COLUMN_MISMATCH,
    HEAD_MISMATCH,
    Problem,
    VerifyReport,
)

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

    public_key_pem = installation_public_key_pem()
    report = verify_lines(
        chain_lines(chain, upto=head_seq, rows=checked_rows()),
        public_key_pem=public_key_pem,
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
    problem = report.problem
    if problem is not None and problem.code == CHECKPOINT_MISMATCH and problem.checkpoint:
        changed = first_changed_event(chain, problem.checkpoint, public_key_pem)
        if changed is not None:
            problem.seq = problem.changed = changed
            problem.detail += (
                f" Sự kiện đầu tiên có mã băm khác với lá của cây Merkle đã ký là sự kiện số "
                f"{changed} (nội dung đã bị sửa rồi băm lại)."
            )
    if report.ok and (head_seq, head_hash) != (report.last_seq, report.last_hash):
        report.ok = False
        report.problem = Problem(
            HEAD_MISMATCH,
            report.last_seq + 1 if head_seq > report.last_seq else head_seq,
            f"đầu chuỗi ghi sự kiện cuối là số {head_seq} nhưng sổ cái dừng ở sự kiện "
            f"số {report.last_seq} (sự kiện cuối đã bị xóa hoặc sửa).",
        )
    return report


def first_changed_event(chain: str, number: int, public_key_pem: bytes | str) -> int | None:
    """The first event covered by checkpoint `number` whose hash is not the leaf it signed
    (or that is missing); None when that cannot be told.

    The signed body holds only the Merkle root; the row keeps the leaves beside it, unsigned.
    They are believed only if the signature holds and they hash to the signed root, so an
    editor who rewrote them too (or a checkpoint from before they were kept) gets None, and
    the report stays at the checkpoint.
    """
    row = (
        LedgerCheckpoint.objects.filter(chain=chain, number=number)
        .values_list("body", "signature", "leaves")
        .first()
    )
    if row is None or row[2] is None:
        return None
    body, signature, stored = row[0], row[1], bytes(row[2])
    try:
        load_public_key(public_key_pem).verify(bytes.fromhex(signature), body.encode())
        data = json.loads(body)
        seq_from, seq_to, root = int(data["seq_from"]), int(data["seq_to"]), data["merkle_root"]
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return None
    if len(stored) != DIGEST_SIZE * (seq_to - seq_from + 1) or root_from_leaves(stored) != root:
        return None
    expected = seq_from
    rows = (
        LedgerEvent.objects.filter(chain=chain, seq__gte=seq_from, seq__lte=seq_to)
        .order_by("seq")
        .values_list("seq", "hash")
        .iterator(chunk_size=5000)
    )
    for seq, event_hash in rows:
        offset = (expected - seq_from) * DIGEST_SIZE
        if seq != expected or event_hash != stored[offset : offset + DIGEST_SIZE].hex():
            return expected
        expected += 1
    return expected if expected <= seq_to else None
