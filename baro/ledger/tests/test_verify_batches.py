"""The verifier checks runs of lines in batches and goes line by line only when a batch fails:
whatever is wrong, it must report exactly what the line-by-line path alone reports.

These exports are built from baro.ledger.canonical alone (no database), big enough for runs
of hundreds of lines, sequence numbers crossing 10, 100 and 1,000, and (with a small read
chunk) lines and checkpoints cut by chunk ends.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from baro.ledger import verify
from baro.ledger.canonical import (
    DEFAULT_CHAIN,
    GENESIS_HASH,
    canonical_json,
    checkpoint_body,
    checkpoint_digest,
    event_hash,
)
from baro.ledger.merkle import merkle_root
from baro.ledger.verify import core, export_file

EVENTS = 2345
INTERVAL = 400
KEY = Ed25519PrivateKey.generate()


def build_lines(events: int = EVENTS, interval: int = INTERVAL) -> list[str]:
    """Header, event and checkpoint lines, each ending in a newline."""
    pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = verify.public_key_id(KEY.public_key())
    header = {"chain": DEFAULT_CHAIN, "public_key": pem.decode(), "last_seq": events}
    lines = [f"{verify.HEADER_TAG}\t{canonical_json(header)}\n"]
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
    """An event line whose hash is recomputed: only links and checkpoints can catch it."""
    return f"{event_hash(seq, prev, body)}\t{seq}\t{prev}\t{body}"  # type: ignore[arg-type]


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


def outcome(path: Path, workers: int) -> tuple[bool, str | None, int | None, int, int]:
    report = verify.verify_export(path, workers=workers, min_parallel_bytes=0)
    seq = report.problem.seq if report.problem else None
    return report.ok, report.code, seq, report.last_seq, report.checkpoints


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few dozen lines: carries and checkpoints at chunk ends get exercised."""
    monkeypatch.setattr(export_file, "READ_CHUNK", 1 << 15)


@pytest.fixture
def counted_batches(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {"accepted": 0, "refused": 0}
    original = core._run_digests

    def counting(*args: object) -> list[bytes] | None:
        result = original(*args)  # type: ignore[arg-type]
        counts["accepted" if result is not None else "refused"] += 1
        return result

    monkeypatch.setattr(core, "_run_digests", counting)
    return counts


def line_by_line(path: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> tuple:
    with monkeypatch.context() as patch:
        patch.setattr(core, "_run_digests", lambda *args: None)
        return outcome(path, workers)


def test_an_intact_export_goes_through_batches(
    tmp_path: Path, small_chunks: None, counted_batches: dict[str, int]
) -> None:
    path = tmp_path / "ledger.export"
    path.write_text("".join(build_lines()), encoding="utf-8")
    for workers in (1, 2, 3):
        assert outcome(path, workers) == (True, None, None, EVENTS, EVENTS // INTERVAL)
    # Runs crossing 10, 100 and 1,000 go line by line (and, in the forked processes, each
    # range's first run; those calls are not counted here).
    assert counted_batches["accepted"] > 3 * counted_batches["refused"] > 0


@pytest.mark.parametrize("tampering", TAMPERINGS, ids=lambda function: function.__name__)
def test_batches_report_what_line_by_line_reports(
    tmp_path: Path,
    small_chunks: None,
    monkeypatch: pytest.MonkeyPatch,
    tampering: Callable[[list[str], int], None],
) -> None:
    intact = build_lines()
    path = tmp_path / "ledger.export"
    for seq in SEQS:
        lines = list(intact)
        tampering(lines, seq)
        path.write_text("".join(lines), encoding="utf-8")
        reference = line_by_line(path, 1, monkeypatch)
        assert not reference[0], (tampering.__name__, seq)
        for workers in (1, 2, 3):
            assert outcome(path, workers) == reference, (tampering.__name__, seq, workers)


def test_first_problem_is_at_the_exact_event(tmp_path: Path, small_chunks: None) -> None:
    lines = build_lines()
    edit_payload(lines, 1234)
    path = tmp_path / "ledger.export"
    path.write_text("".join(lines), encoding="utf-8")
    for workers in (1, 2, 3):
        ok, code, seq, last_seq, _ = outcome(path, workers)
        assert (ok, code, seq, last_seq) == (False, verify.HASH_MISMATCH, 1234, 1233)


def test_a_run_longer_than_a_read_chunk(tmp_path: Path, small_chunks: None) -> None:
    """No checkpoint for 1,500 events: runs end where chunks end, not at checkpoints."""
    lines = build_lines(events=1500, interval=10_000)
    path = tmp_path / "ledger.export"
    path.write_text("".join(lines), encoding="utf-8")
    assert outcome(path, 2) == (True, None, None, 1500, 0)
    swap(lines, 777)
    path.write_text("".join(lines), encoding="utf-8")
    assert outcome(path, 2)[1:3] == (verify.OUT_OF_ORDER, 777)


def test_digit_columns_of_consecutive_numbers() -> None:
    for first in [*range(0, 1300, 13), 99_990, 1_234_567]:
        for count in (1, 9, 10, 11, 100, 101, 1000, 1001):
            width = len(str(first + count - 1))
            numbers = [str(n).zfill(width) for n in range(first, first + count)]
            for place in range(width):
                column = "".join(number[width - 1 - place] for number in numbers)
                assert core._digit_column(first, count, place) == column.encode()
