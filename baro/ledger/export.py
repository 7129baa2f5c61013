"""Export a chain to a self-verifying text file, and the lines the database verifier reads.

The format is described in baro.ledger.reference (rules) and baro.ledger.verify (the fast
verifier), which read it without Django. baro.ledger.verify.database verifies the database
through chain_lines; this module imports only the Django-free part of baro.ledger.verify.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from baro.core.timeutil import now
from baro.ledger.canonical import DEFAULT_CHAIN, canonical_json, jsonable
from baro.ledger.keys import PUBLIC_NAME, key_id, keys_dir, load_signing_key, public_key_pem
from baro.ledger.models import ChainHead, LedgerCheckpoint, LedgerEvent
from baro.ledger.verify import HEADER_TAG, load_public_key

CHUNK = 2000
# The columns an event line is made of, in the order of the row tuples chain_lines reads.
LINE_FIELDS = ("seq", "prev_hash", "hash", "body")


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
    return public_key_pem(load_signing_key().public_key())


def _head_seq(chain: str) -> int:
    head = ChainHead.objects.filter(chain=chain).values_list("seq", flat=True).first()
    return head or 0


def _checkpoints(chain: str, upto: int | None) -> Iterator[LedgerCheckpoint]:
    rows = LedgerCheckpoint.objects.filter(chain=chain).order_by("seq_to", "number")
    if upto is not None:
        rows = rows.filter(seq_to__lte=upto)
    return rows.only("seq_to", "body", "signature").iterator(chunk_size=CHUNK)


def event_rows(chain: str, upto: int | None, fields: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    rows = LedgerEvent.objects.filter(chain=chain).order_by("seq", "id")
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    return rows.values_list(*fields).iterator(chunk_size=CHUNK)


def chain_lines(
    chain: str, *, upto: int | None, rows: Iterator[tuple[Any, ...]] | None = None
) -> Iterator[str]:
    """Event and checkpoint lines (no newline), each checkpoint after the event it ends.

    Rows stream from the database in chunks; `rows` may be given as (seq, prev_hash, hash,
    body, …) tuples. A checkpoint whose end event is missing still comes out (before the next
    event, or at the end), so the verifier sees it and reports the hole.
    """
    checkpoints = _checkpoints(chain, upto)
    pending = next(checkpoints, None)
    for row in rows if rows is not None else event_rows(chain, upto, LINE_FIELDS):
        seq, prev_hash, event_hash, body = row[:4]
        while pending is not None and pending.seq_to < seq:
            yield pending.line
            pending = next(checkpoints, None)
        yield f"{event_hash}\t{seq}\t{prev_hash}\t{body}"
    while pending is not None:
        yield pending.line
        pending = next(checkpoints, None)


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


def _write(handle: IO[bytes], header: dict[str, Any], chain: str, upto: int) -> tuple[int, int]:
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
