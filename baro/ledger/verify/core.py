"""The fast core: check one range of event and checkpoint lines, then join the ranges.

An event verifies with one slice and one SHA-256: hash == sha256(everything after the first
tab). A checkpoint line follows the event it ends, and its signed Merkle root is always
recomputed from the events it covers (baro.ledger.merkle). Event lines are checked in runs:
hashes, sequence numbers and links of a whole run are compared at once (see _run_digests),
and only a run that fails goes line by line, to name the first problem.

A range that does not start the file cannot know the number and hash its first event must
follow, nor the checkpoint before its first one: `_scan` records them and `_combine` settles
them in file order, so the first problem reported is the one a single pass would report.

The rules checked here are written out plainly, one event at a time, in baro.ledger.reference;
the tests hold the two to the same verdict.
"""

from __future__ import annotations

import binascii
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from baro.ledger.canonical import GENESIS_HASH, checkpoint_body, checkpoint_digest
from baro.ledger.merkle import root_from_digests
from baro.ledger.verify.keys import load_public_key, public_key_id
from baro.ledger.verify.report import (
    BROKEN_LINK,
    CHECKPOINT_BAD_SIGNATURE,
    CHECKPOINT_MISMATCH,
    GAP,
    HASH_MISMATCH,
    MALFORMED,
    OUT_OF_ORDER,
    Problem,
    VerifyReport,
)

# Lines per run handed to the batched check by verify_lines (the file path cuts its own runs).
RUN_LINES = 1000

CHECKPOINT_FIELDS = {
    "chain": str,
    "number": int,
    "seq_from": int,
    "seq_to": int,
    "merkle_root": str,
    "head_hash": str,
    "prev_checkpoint_digest": str,
    "key_id": str,
    "signed_at": str,
}


@dataclass
class _Checkpoint:
    number: int
    seq_from: int
    seq_to: int
    merkle_root: str
    prev_digest: str
    digest: str


@dataclass
class _Range:
    """What one range of lines proved, and what only its neighbours can settle."""

    events: int = 0
    first_seq: int | None = None
    first_prev: bytes = b""
    second_seq: int | None = None
    last_seq: int = 0
    last_hash: bytes = b""
    checkpoints: int = 0  # fully verified here
    deferred: _Checkpoint | None = None  # first checkpoint, when its start lies before the range
    digests_before_deferred: list[bytes] = field(default_factory=list)
    had_checkpoint: bool = False
    last_checkpoint: _Checkpoint | None = None
    # raw hashes of the events after the last checkpoint line (or all, if none)
    tail_digests: list[bytes] = field(default_factory=list)
    problem: Problem | None = None


def _event_fields(line: bytes) -> tuple[bytes, int, bytes] | None:
    """(hash, seq, prev_hash) of an event line, or None when it is not one."""
    parts = line.split(b"\t", 3)
    if len(parts) != 4 or len(parts[0]) != 64 or len(parts[2]) != 64 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


def _parse_checkpoint(line: bytes) -> tuple[dict[str, Any], bytes, bytes] | None:
    parts = line.split(b"\t")
    if len(parts) != 3:
        return None
    body, signature = parts[1], parts[2]
    try:
        data = json.loads(body)
        signature_bytes = bytes.fromhex(signature.decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or set(data) != set(CHECKPOINT_FIELDS):
        return None
    for name, kind in CHECKPOINT_FIELDS.items():
        if not isinstance(data[name], kind) or isinstance(data[name], bool):
            return None
    # Only the canonical encoding is accepted, so one checkpoint has exactly one byte form.
    if checkpoint_body(**data).encode() != body:
        return None
    return data, body, signature_bytes


def _checkpoint_problem(code: str, seq: int | None, number: int | None, detail: str) -> Problem:
    return Problem(code, seq, detail, checkpoint=number)


def _continuity_problem(cp: _Checkpoint, previous: _Checkpoint | None) -> Problem | None:
    """Checkpoints form their own chain: numbered 1, 2, 3…, each naming its predecessor."""
    number = previous.number + 1 if previous else 1
    digest = previous.digest if previous else GENESIS_HASH
    seq_from = previous.seq_to + 1 if previous else 1
    if cp.number != number or cp.prev_digest != digest or cp.seq_from != seq_from:
        return _checkpoint_problem(
            CHECKPOINT_MISMATCH,
            cp.seq_to,
            cp.number,
            f"điểm chốt số {cp.number} không nối tiếp điểm chốt trước "
            f"(cần số {number}, bắt đầu từ sự kiện số {seq_from}); "
            "có điểm chốt bị xóa, chèn hoặc giả mạo.",
        )
    return None


def _merkle_problem(cp: _Checkpoint, digests: list[bytes]) -> Problem | None:
    if len(digests) != cp.seq_to - cp.seq_from + 1 or root_from_digests(digests) != (
        cp.merkle_root
    ):
        return _checkpoint_problem(
            CHECKPOINT_MISMATCH,
            cp.seq_to,
            cp.number,
            f"gốc Merkle của điểm chốt số {cp.number} (sự kiện số {cp.seq_from} đến "
            f"{cp.seq_to}) không khớp với các sự kiện; có sự kiện đã bị thay thế.",
        )
    return None


def _sequence_problem(
    seq: int, expected: int, following: int | None, *, at_end: bool = False
) -> Problem:
    """Event `seq` stands where `expected` should: moved (out of order) or missing (gap).

    `following` is the next event's number: when it is the expected one, two were swapped.
    """
    if seq < expected or following == expected:
        return Problem(
            OUT_OF_ORDER,
            expected,
            f"thứ tự bị đảo (gặp sự kiện số {seq} ở vị trí của sự kiện số {expected}).",
            found=seq,
        )
    return Problem(
        GAP,
        expected,
        f"thiếu sự kiện (sau sự kiện số {expected - 1} là sự kiện số {seq}).",
        found=seq,
        needs_lookahead=at_end,
    )


_DIGITS = b"0123456789"
# Digit columns of consecutive numbers repeat: units every 10, tens every 100.
_UNITS = _DIGITS * 2
_TENS = b"".join(bytes([digit]) * 10 for digit in _DIGITS) * 2


def _digit_column(first: int, count: int, place: int) -> bytes:
    """Digit `place` (0: units, 1: tens, …) of first, first + 1, …, as `count` ASCII bytes."""
    if place < 2:
        period, pattern = (10, _UNITS) if place == 0 else (100, _TENS)
        offset = first % period
        repeated = pattern * (count // period + 1)  # twice a period per copy: room to start late
        return repeated[offset : offset + count]
    step = 10**place
    pieces = []
    number, end = first, first + count
    while number < end:
        following = min((number // step + 1) * step, end)
        pieces.append(_DIGITS[number // step % 10 : number // step % 10 + 1] * (following - number))
        number = following
    return b"".join(pieces)


def _run_digests(lines: list[bytes], expected: int, last: bytes) -> list[bytes] | None:
    """The raw hashes of a run of event lines, when the whole run is intact: events
    `expected`, `expected + 1`, … in order, the first linked to `last` (hex), each line
    well formed and hashing to its recorded hash. None when anything differs: the caller then
    goes through the run line by line, which finds and names the first problem.

    Every check is batched over the run, in C: one comprehension cuts each line's head
    "<hash>\\t<seq>\\t<prev_hash>\\t" (131 + width bytes) and they are joined; with all heads
    the same length, the tabs and each digit of the sequence numbers are columns of that
    buffer (extended slices, compared with what consecutive numbers give), and one split on
    tabs yields the hashes and the previous hashes, compared as lists and joined bytes.
    """
    count = len(lines)
    width = len(str(expected))
    if len(str(expected + count - 1)) != width:
        return None  # the run crosses a power of ten; rare enough to go line by line
    size = 131 + width
    heads = b"".join([line[:size] for line in lines])
    if len(heads) != size * count:
        return None  # a short line: no head is longer than `size`, so all are that long
    tabs = b"\t" * count
    if heads[64::size] != tabs or heads[65 + width :: size] != tabs:
        return None
    if heads[130 + width :: size] != tabs:
        return None
    for place in range(width):
        if heads[64 + width - place :: size] != _digit_column(expected, count, place):
            return None
    fields = heads.split(b"\t")
    if len(fields) != 3 * count + 1:
        return None  # a tab inside a hash field
    # Exactly the tabs of the columns above: every field has its fixed place and length, so
    # joined equality is item-by-item equality.
    sha = hashlib.sha256
    digests = [sha(line[65:]).digest() for line in lines]
    hashes = fields[0 : 3 * count : 3]
    if b"".join(hashes) != binascii.hexlify(b"".join(digests)):
        return None
    prevs = fields[2::3]
    if prevs[0] != last or prevs[1:] != hashes[:-1]:
        return None
    return digests


def _scan(
    runs: Iterable[list[bytes]],
    key: Ed25519PublicKey,
    key_id: str,
    chain: str | None,
    *,
    from_genesis: bool,
) -> _Range:
    """Check one range of lines (without their newlines); stop at the first problem.

    Lines come in runs (lists): event lines together, each checkpoint line alone.

    `from_genesis`: the range starts the file, so the first event must be number 1 linked to
    GENESIS_HASH and the first checkpoint number 1; otherwise those are left to the combiner.
    """
    result = _Range()
    sha = hashlib.sha256
    hexlify = binascii.hexlify
    # Raw event hashes since the last checkpoint: the leaves of the next one's Merkle tree.
    digests: list[bytes] = []
    keep = digests.append
    expected: int | None = 1 if from_genesis else None
    last = GENESIS_HASH.encode() if from_genesis else b""
    events = 0
    previous_cp: _Checkpoint | None = None
    cp_known = from_genesis
    problem: Problem | None = None
    runs_it = iter(runs)

    for run in runs_it:
        # A whole run of event lines is checked at once; line by line only when that fails
        # (or for a range's first run, or a run crossing a power of ten), so a problem is
        # still reported at its exact event.
        if expected is not None and run[0][:2] != b"C\t":
            batch = _run_digests(run, expected, last)
            if batch is not None:
                digests.extend(batch)  # `keep` stays bound to this same list
                count = len(run)
                expected += count
                events += count
                last = run[-1][:64]
                continue
        it = iter(run)
        for line in it:
            # Line by line. Quick case: the line starts "<hash>\t<expected seq>\t<last hash>\t"
            # and hashes to <hash>. Anything else goes to the slow path below, which says what
            # exactly is wrong (a hash field holding a tab is malformed, not a wrong hash).
            if (
                expected is not None
                and line.startswith(b"%d\t%b\t" % (expected, last), 65)
                and line[64] == 9
            ):
                digest = sha(line[65:]).digest()
                recorded = line[:64]
                if hexlify(digest) == recorded:
                    keep(digest)
                    last = recorded
                    expected += 1
                    events += 1
                    continue

            if line[:2] == b"C\t":
                parsed = _parse_checkpoint(line)
                if parsed is None:
                    problem = Problem(MALFORMED, expected, "dòng điểm chốt không đúng định dạng.")
                    break
                data, body, signature = parsed
                number, seq_to = data["number"], data["seq_to"]
                try:
                    key.verify(signature, body)
                except InvalidSignature:
                    other = (
                        f" (điểm chốt ghi khóa {data['key_id']})"
                        if data["key_id"] != key_id
                        else ""
                    )
                    problem = _checkpoint_problem(
                        CHECKPOINT_BAD_SIGNATURE,
                        seq_to,
                        number,
                        f"chữ ký của điểm chốt số {number} không hợp lệ với khóa {key_id}{other}.",
                    )
                    break
                last_seq = (expected - 1) if expected is not None else 0
                if chain is not None and data["chain"] != chain:
                    problem = _checkpoint_problem(
                        CHECKPOINT_MISMATCH,
                        seq_to,
                        number,
                        f"điểm chốt số {number} thuộc chuỗi “{data['chain']}”, "
                        f"không phải “{chain}”.",
                    )
                    break
                if seq_to > last_seq:
                    problem = Problem(
                        GAP,
                        last_seq + 1,
                        f"thiếu sự kiện (điểm chốt số {number} kết thúc ở sự kiện số {seq_to} "
                        f"nhưng trước nó chỉ có đến sự kiện số {last_seq}).",
                        checkpoint=number,
                    )
                    break
                if seq_to < last_seq or data["head_hash"].encode() != last:
                    problem = _checkpoint_problem(
                        CHECKPOINT_MISMATCH,
                        seq_to,
                        number,
                        f"điểm chốt số {number} không khớp với sự kiện số {seq_to} mà nó kết thúc.",
                    )
                    break
                cp = _Checkpoint(
                    number=number,
                    seq_from=data["seq_from"],
                    seq_to=seq_to,
                    merkle_root=data["merkle_root"],
                    prev_digest=data["prev_checkpoint_digest"],
                    digest=checkpoint_digest(body.decode()),
                )
                if cp_known:
                    problem = _continuity_problem(cp, previous_cp) or _merkle_problem(cp, digests)
                    if problem:
                        break
                    result.checkpoints += 1
                else:
                    # Its first events may lie in an earlier range: the combiner finishes it.
                    result.deferred = cp
                    result.digests_before_deferred = digests
                    cp_known = True
                result.had_checkpoint = True
                previous_cp = cp
                digests = []
                keep = digests.append
                continue

            fields = _event_fields(line)
            if fields is None:
                problem = Problem(MALFORMED, expected, "dòng không đúng định dạng.")
                break
            recorded_hash, seq, prev = fields
            if events == 1 and result.first_seq is not None and result.second_seq is None:
                result.second_seq = seq
            if expected is None:
                # First event of a range that does not start the file: the seam is checked later.
                result.first_seq, result.first_prev = seq, prev
                expected = seq
                last = prev
            elif seq != expected:
                following = next(it, None)
                if following is None:  # the run ended: look at the next one
                    following = next(iter(next(runs_it, [])), None)
                following_fields = _event_fields(following) if following is not None else None
                problem = _sequence_problem(
                    seq,
                    expected,
                    following_fields[1] if following_fields else None,
                    at_end=following is None,
                )
                break
            elif prev != last:
                problem = Problem(
                    BROKEN_LINK,
                    expected,
                    f"mã băm của sự kiện trước ghi trong sự kiện này không khớp với sự kiện số "
                    f"{expected - 1}.",
                )
                break
            digest = hashlib.sha256(line[65:]).digest()
            if hexlify(digest) != recorded_hash:
                problem = Problem(
                    HASH_MISMATCH,
                    expected,
                    "nội dung không khớp với mã băm đã ghi (nội dung hoặc mã băm đã bị sửa).",
                )
                break
            keep(digest)
            last = recorded_hash
            expected += 1
            events += 1
        if problem:
            break

    if result.first_seq is not None and events >= 2 and result.second_seq is None:
        result.second_seq = result.first_seq + 1
    result.events = events
    result.last_seq = (expected - 1) if expected is not None else 0
    result.last_hash = last
    result.last_checkpoint = previous_cp
    result.tail_digests = digests
    result.problem = problem
    return result


@dataclass
class _State:
    """What the combiner carries from one range to the next."""

    expected: int = 1
    last_hash: bytes = GENESIS_HASH.encode()
    events: int = 0
    checkpoints: int = 0
    last_checkpoint: _Checkpoint | None = None
    pending_digests: list[bytes] = field(default_factory=list)


def _combine(ranges: list[_Range], report: VerifyReport) -> VerifyReport:
    """Settle the seams between ranges, in file order, and fill the report."""
    state = _State()
    problem: Problem | None = None
    for index, part in enumerate(ranges):
        if index > 0 and part.first_seq is not None:
            if part.first_seq != state.expected:
                problem = _sequence_problem(part.first_seq, state.expected, part.second_seq)
            elif part.first_prev != state.last_hash:
                problem = Problem(
                    BROKEN_LINK,
                    state.expected,
                    "mã băm của sự kiện trước ghi trong sự kiện này không khớp với sự kiện số "
                    f"{state.expected - 1}.",
                )
            if problem:
                break
        if part.deferred is not None:
            digests = state.pending_digests + part.digests_before_deferred
            problem = _continuity_problem(part.deferred, state.last_checkpoint) or _merkle_problem(
                part.deferred, digests
            )
            if problem:
                # The events before the checkpoint line were fine; count them.
                state.events += len(part.digests_before_deferred)
                state.expected = part.deferred.seq_to + 1
                state.last_hash = b""
                break
            state.checkpoints += 1
        if part.had_checkpoint:
            state.pending_digests = part.tail_digests
            state.last_checkpoint = part.last_checkpoint
        else:
            state.pending_digests += part.tail_digests
        state.checkpoints += part.checkpoints
        state.events += part.events
        if part.events:
            state.expected = part.last_seq + 1
            state.last_hash = part.last_hash
        if part.problem:
            problem = part.problem
            if problem.seq is None:
                problem.seq = state.expected
            if problem.needs_lookahead and problem.found is not None and index + 1 < len(ranges):
                problem = _sequence_problem(problem.found, problem.seq, ranges[index + 1].first_seq)
            break

    report.events = state.events
    report.last_seq = state.expected - 1
    report.last_hash = state.last_hash.decode()
    report.checkpoints = state.checkpoints
    if state.last_checkpoint is not None:
        report.last_checkpoint = state.last_checkpoint.number
        report.last_checkpoint_seq = state.last_checkpoint.seq_to
    report.problem = problem
    report.ok = problem is None
    return report


def verify_lines(
    lines: Iterable[bytes | str],
    *,
    public_key_pem: bytes | str,
    chain: str | None = None,
    key_source: str = "argument",
) -> VerifyReport:
    """Verify event and checkpoint lines (no header) from the first event, in one pass."""
    key = load_public_key(public_key_pem)
    key_id = public_key_id(key)

    def runs() -> Iterator[list[bytes]]:
        run: list[bytes] = []
        for line in lines:
            raw = line.encode() if isinstance(line, str) else line
            raw = raw[:-1] if raw.endswith(b"\n") else raw
            if raw.startswith(b"C\t"):
                if run:
                    yield run
                yield [raw]
                run = []
            else:
                run.append(raw)
                if len(run) >= RUN_LINES:
                    yield run
                    run = []
        if run:
            yield run

    part = _scan(runs(), key, key_id, chain, from_genesis=True)
    report = VerifyReport(ok=False, chain=chain or "", key_id=key_id, key_source=key_source)
    return _combine([part], report)
