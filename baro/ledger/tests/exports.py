"""Exports built from baro.ledger.canonical alone (no database), and ways to tamper with them.

Shared by the tests of the fast verifier's batches and of the reference verifier: big enough
for runs of hundreds of lines and sequence numbers crossing 10, 100 and 1,000.
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from baro.ledger.canonical import (
    DEFAULT_CHAIN,
    GENESIS_HASH,
    canonical_json,
    checkpoint_body,
    checkpoint_digest,
    event_hash,
)
from baro.ledger.merkle import merkle_root
from baro.ledger.verify import HEADER_TAG, public_key_id

EVENTS = 2345
INTERVAL = 400
KEY = Ed25519PrivateKey.generate()


def build_lines(events: int = EVENTS, interval: int = INTERVAL) -> list[str]:
    """Header, event and checkpoint lines, each ending in a newline."""
    pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = public_key_id(KEY.public_key())
    header = {"chain": DEFAULT_CHAIN, "public_key": pem.decode(), "last_seq": events}
    lines = [f"{HEADER_TAG}\t{canonical_json(header)}\n"]
    prev, previous_digest, number, pending = GENESIS_HASH, GENESIS_HASH, 0, []
    for seq in range(1, events + 1):
        body = canonical_json(
            {"chain": DEFAULT_CHAIN, "action": "work.task.noted", "note": f"ghi chú {seq}" * 3}
        )
        digest = event_hash(seq, prev, body)
        lines.append(f"{digest}\t{seq}\t{prev}\t{body}\n")
        pending.append(digest)
        prev = digest
        if seq % interval == 0:
            number += 1
            cp_body = checkpoint_body(
                chain=DEFAULT_CHAIN,
                number=number,
                seq_from=seq - len(pending) + 1,
                seq_to=seq,
                merkle_root=merkle_root(pending),
                head_hash=digest,
                prev_checkpoint_digest=previous_digest,
                key_id=kid,
                signed_at="2026-01-05T01:00:00.000000+00:00",
            )
            lines.append(f"C\t{cp_body}\t{KEY.sign(cp_body.encode()).hex()}\n")
            previous_digest, pending = checkpoint_digest(cp_body), []
    return lines


def at(lines: list[str], seq: int) -> int:
    return next(
        index
        for index, line in enumerate(lines)
        if index and not line.startswith("C\t") and line.split("\t")[1] == str(seq)
    )


def rehashed(seq: int | str, prev: str, body: str) -> str:
    """An event line whose hash is recomputed: only links and checkpoints can catch it.

    `body` may end with the line's newline (cut from a line): it is not hashed.
    """
    body = body.removesuffix("\n")
    return f"{event_hash(seq, prev, body)}\t{seq}\t{prev}\t{body}\n"  # type: ignore[arg-type]


def edit_payload(lines: list[str], seq: int) -> None:
    index = at(lines, seq)
    lines[index] = lines[index].replace("ghi chú", "ghi chu", 1)


def delete(lines: list[str], seq: int) -> None:
    del lines[at(lines, seq)]


def swap(lines: list[str], seq: int) -> None:
    first, second = at(lines, seq), at(lines, seq + 1)
    lines[first], lines[second] = lines[second], lines[first]


def uppercase_hash(lines: list[str], seq: int) -> None:
    index = at(lines, seq)
    lines[index] = lines[index][:64].upper() + lines[index][64:]


def leading_zero(lines: list[str], seq: int) -> None:
    index = at(lines, seq)
    _, number, prev, body = lines[index].split("\t", 3)
    lines[index] = rehashed("0" + number, prev, body)


def merge_fields(lines: list[str], seq: int) -> None:
    index = at(lines, seq)
    digest, number, prev, body = lines[index].split("\t", 3)
    lines[index] = f"{digest}\t{number}{prev}\t{body}"


def blank_line(lines: list[str], seq: int) -> None:
    lines.insert(at(lines, seq), "\n")


def not_a_checkpoint(lines: list[str], seq: int) -> None:
    lines.insert(at(lines, seq), "Cxyz\n")


def truncate_line(lines: list[str], seq: int) -> None:
    index = at(lines, seq)
    lines[index] = lines[index][:100] + "\n"


def broken_link(lines: list[str], seq: int) -> None:
    """The previous hash replaced, and the event's own hash recomputed to match."""
    index = at(lines, seq)
    _, number, _, body = lines[index].split("\t", 3)
    lines[index] = rehashed(number, "ab" * 32, body)


def renumbered(lines: list[str], seq: int) -> None:
    """The sequence number changed, the hash recomputed: the next link still holds."""
    index = at(lines, seq)
    _, _, prev, body = lines[index].split("\t", 3)
    new = rehashed(seq + 7, prev, body)
    lines[index] = new
    following = at(lines, seq + 1)
    _, number, _, rest = lines[following].split("\t", 3)
    lines[following] = rehashed(number, new[:64], rest)


TAMPERINGS: list[Callable[[list[str], int], None]] = [
    edit_payload,
    delete,
    swap,
    uppercase_hash,
    leading_zero,
    merge_fields,
    blank_line,
    not_a_checkpoint,
    truncate_line,
    broken_link,
    renumbered,
]
SEQS = [1, 9, 10, 11, 99, 100, 250, 399, 400, 401, 999, 1000, 1001, 1777, 2344]
