"""Export a chain to a self-verifying text file, and verify the database through the same lines.

The format is described in baro.ledger.verify, which reads it without Django.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from baro.core.timeutil import now
from baro.ledger.canonical import DEFAULT_CHAIN, GENESIS_HASH, canonical_json, jsonable
from baro.ledger.keys import PUBLIC_NAME, key_id, keys_dir, load_signing_key
from baro.ledger.models import ChainHead, LedgerCheckpoint, LedgerEvent
from baro.ledger.verify import (
    COLUMN_MISMATCH,
    HEAD_MISMATCH,
    HEADER_TAG,
    Problem,
    VerifyReport,
    load_public_key,
    verify_lines,
)

CHUNK = 2000
# Fields of LedgerEvent copied out of the hashed body; verify_database checks they agree.
DENORMALISED = ("chain", "actor", "on_behalf_of", "action", "object_type", "object_id")


@dataclass(frozen=True)
class ExportSummary:
    chain: str
    events: int
    checkpoints: int
    last_seq: int
    path: str


def installation_public_key_pem() -> bytes:
    """The public half of the installation key: the published file, else derived."""
    published = keys_dir() / PUBLIC_NAME
    if published.exists():
        return published.read_bytes()
    from baro.ledger.keys import public_key_pem

    return public_key_pem(load_signing_key().public_key())


def _head_seq(chain: str) -> int:
    head = ChainHead.objects.filter(chain=chain).values_list("seq", flat=True).first()
    return head or 0


def _checkpoints(chain: str, upto: int | None) -> Iterator[LedgerCheckpoint]:
    rows = LedgerCheckpoint.objects.filter(chain=chain).order_by("seq_to", "number")
    if upto is not None:
        rows = rows.filter(seq_to__lte=upto)
    return rows.only("seq_to", "body", "signature").iterator(chunk_size=CHUNK)


def _event_rows(chain: str, upto: int | None, fields: tuple[str, ...]) -> Iterator[tuple]:
    rows = LedgerEvent.objects.filter(chain=chain).order_by("seq", "id")
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    return rows.values_list(*fields).iterator(chunk_size=CHUNK)


def chain_lines(
    chain: str, *, upto: int | None, rows: Iterator[tuple] | None = None
) -> Iterator[str]:
    """Event and checkpoint lines (no newline), each checkpoint after the event it ends.

    Rows stream from the database in chunks; `rows` may be given as (seq, prev_hash, hash,
    body, …) tuples. A checkpoint whose end event is missing still comes out (before the next
    event, or at the end), so the verifier sees it and reports the hole.
    """
    checkpoints = _checkpoints(chain, upto)
    pending = next(checkpoints, None)
    for row in rows if rows is not None else _event_rows(chain, upto, _LINE_FIELDS):
        seq, prev_hash, event_hash, body = row[:4]
        while pending is not None and pending.seq_to < seq:
            yield pending.line
            pending = next(checkpoints, None)
        yield f"{event_hash}\t{seq}\t{prev_hash}\t{body}"
    while pending is not None:
        yield pending.line
        pending = next(checkpoints, None)


_LINE_FIELDS = ("seq", "prev_hash", "hash", "body")


def export_chain(
    destination: str | Path | IO[bytes], *, chain: str = DEFAULT_CHAIN
) -> ExportSummary:
    """Write the chain, up to its head when the export starts, as an export file."""
    upto = _head_seq(chain)
    public_pem = installation_public_key_pem()
    header = {
        "chain": chain,
        "public_key": public_pem.decode(),
        "key_id": key_id(load_public_key(public_pem)),
        "exported_at": jsonable(now()),
        "last_seq": upto,
        "format": "hash\\tseq\\tprev_hash\\tbody | C\\tcheckpoint\\tsignature",
    }
    if isinstance(destination, str | Path):
        with Path(destination).open("wb") as handle:
            counts = _write(handle, header, chain, upto)
        name = str(destination)
    else:
        counts = _write(destination, header, chain, upto)
        name = getattr(destination, "name", "")
    return ExportSummary(chain, counts[0], counts[1], upto, name)


def _write(handle: IO[bytes], header: dict, chain: str, upto: int) -> tuple[int, int]:
    handle.write(f"{HEADER_TAG}\t{canonical_json(header)}\n".encode())
    events = checkpoints = 0
    for line in chain_lines(chain, upto=upto):
        handle.write(line.encode())
        handle.write(b"\n")
        if line.startswith("C\t"):
            checkpoints += 1
        else:
            events += 1
    return events, checkpoints


_CHECK_FIELDS = (*_LINE_FIELDS, "occurred_at", *DENORMALISED)


def verify_database_rows(chain: str | None = None) -> VerifyReport:
    """Feed the chain's rows through the export verifier, with the installation key, and
    check what the file cannot: columns copied out of the body, and the chain head."""
    chain = chain or DEFAULT_CHAIN
    # Read the head first and verify up to it: events appended meanwhile are not a mismatch.
    head = ChainHead.objects.filter(chain=chain).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    column_problem: list[Problem] = []

    def checked_rows() -> Iterator[tuple]:
        for row in _event_rows(chain, head_seq, _CHECK_FIELDS):
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
        if found is None or found.seq is None or found.seq > column_problem[0].seq:
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
