"""The reference verifier of a ledger export: every rule, one line at a time, no shortcut.

The fast verifier (baro.ledger.verify) checks runs of lines at once and splits big files
across processes; this one is what an outside auditor reads to be convinced, and what the
tests hold the fast one to: both give the same verdict on every file. It needs Python, the
`cryptography` package (Ed25519) and, of Baro, only the report type it fills in
(baro.ledger.verify.report, plain data; importing it loads the fast verifier's package too,
none of which is used here). `baro ledger verify --reference FILE` runs it.

The file is UTF-8 text; each line ends with "\n" (the last one may not). Three kinds of line:

    #baro-ledger v1 TAB header      the first line; a JSON object: "public_key" (PEM of an
                                    Ed25519 public key), "chain" (the chain's name),
                                    "last_seq" (the last event's number), informative fields
    C TAB body TAB signature        a checkpoint, right after the event it ends
    hash TAB seq TAB prev_hash TAB body     an event: any other line

Event: `hash` is SHA-256, in lowercase hex, of the line's bytes after the first tab, that is
"seq TAB prev_hash TAB body"; `seq` is the event's number in ASCII digits (hashed as written);
`prev_hash` is the previous event's hash (64 zeros for event 1); `body` is the event's content
in canonical JSON, covered by the hash and not otherwise read.
Checkpoint: `body` is the canonical JSON (keys sorted, no spaces, non-ASCII kept as UTF-8:
Python's json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)) of
exactly these fields: number, seq_from, seq_to (integers), chain, merkle_root, head_hash,
prev_checkpoint_digest, key_id, signed_at (strings); `signature` is the Ed25519 signature of
the body's bytes, in hex. A key's id is the first 16 hex digits of SHA-256 of its raw 32 bytes.

Rules, in file order. The first one broken is the verdict: its code, and the event where the
chain stops being intact (a report also says what held before it). E is the next event's
number (1 at first), H the last event's hash (64 zeros at first).
1. The first line is the header (else ledger.malformed); when the auditor gives the published
   key, the header's key is the same (else ledger.wrong_key). Signatures are checked with it.
2. An event line has four fields: 64 bytes, ASCII digits, 64 bytes, the rest (else
   ledger.malformed at E). Its number is E; else, when it is lower or the line after it is
   event E, events were swapped (ledger.out_of_order at E), otherwise some are missing
   (ledger.gap at E). Its prev_hash is H (else ledger.broken_link at E); its hash is the
   SHA-256 above (else ledger.hash_mismatch at E). Then H is its hash and E grows by one.
3. A checkpoint line has three fields, its body is canonical JSON of exactly the fields above
   and its signature is hex (else ledger.malformed at E). Then, in this order, the failures
   naming the checkpoint and being ledger.checkpoint_mismatch at its seq_to unless said
   otherwise: the signature is valid (else ledger.checkpoint_bad_signature); chain is the
   header's; seq_to is not after E - 1 (else ledger.gap at E); seq_to is E - 1 and head_hash
   is H; number, seq_from and prev_checkpoint_digest follow the previous checkpoint (its
   number + 1, its seq_to + 1, SHA-256 in hex of its body; 1, 1 and 64 zeros for the first);
   merkle_root is the Merkle root of events seq_from to seq_to (by now, exactly the events
   since the previous checkpoint).
4. At the end, the last event is the header's last_seq, when that is an integer (else
   ledger.truncated at the event after the last one).

Merkle root, over the raw 32-byte hashes of the events in order: while more than one remains,
cut them into groups of 16 (the last may be shorter); a group of one moves up unchanged, any
other becomes SHA-256(0x01 || its hashes). The root of one hash is that hash; of none,
SHA-256 of nothing. A checkpoint's merkle_root is that root in hex (see baro.ledger.merkle).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from baro.ledger.verify.report import Problem, VerifyReport

HEADER_TAG = b"#baro-ledger v1\t"
ZEROS = "0" * 64
INTEGERS = ("number", "seq_from", "seq_to")
STRINGS = ("chain", "merkle_root", "head_hash", "prev_checkpoint_digest", "key_id", "signed_at")


def read_key(pem: bytes | str) -> Ed25519PublicKey:
    """The public key of a PEM text; ValueError unless Ed25519, the only kind that signs."""
    key = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    """How reports name a key, to compare the header's with the auditor's at a glance."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def merkle_root(leaves: list[bytes]) -> str:
    """The root described above, the obvious way (baro.ledger.merkle builds it faster)."""
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = leaves
    while len(level) > 1:
        above = []
        for start in range(0, len(level), 16):
            group = level[start : start + 16]
            if len(group) == 1:
                above.append(group[0])
            else:
                above.append(hashlib.sha256(b"\x01" + b"".join(group)).digest())
        level = above
    return level[0].hex()


def parse_event(line: bytes | None) -> tuple[bytes, int, bytes] | None:
    """(hash, seq, prev_hash) of an event line; None when it is not one."""
    parts = (line or b"").split(b"\t", 3)
    if len(parts) != 4 or len(parts[0]) != 64 or len(parts[2]) != 64:
        return None
    if not parts[1].isdigit():  # bytes.isdigit: ASCII digits only
        return None
    return parts[0], int(parts[1]), parts[2]


def parse_checkpoint(line: bytes) -> tuple[dict[str, Any], bytes, bytes] | None:
    """(fields, body, signature) of a checkpoint line; None when it is not well formed."""
    parts = line.split(b"\t")
    if len(parts) != 3:
        return None
    try:
        fields = json.loads(parts[1])
        signature = bytes.fromhex(parts[2].decode("ascii"))
    except ValueError:
        return None
    if not isinstance(fields, dict) or set(fields) != {*INTEGERS, *STRINGS}:
        return None
    if any(type(fields[name]) is not int for name in INTEGERS):  # true is not 1 here
        return None
    if any(type(fields[name]) is not str for name in STRINGS):
        return None
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if canonical.encode() != parts[1]:  # so that one checkpoint has one byte form
        return None
    return fields, parts[1], signature


def lines_with_next(handle: IO[bytes]) -> Iterator[tuple[bytes, bytes | None]]:
    """Each line without its newline, with the line after it (None after the last one):
    rule 2 looks at the next line to tell two swapped events from missing ones."""
    current = None
    for raw in handle:
        line = raw.removesuffix(b"\n")
        if current is not None:
            yield current, line
        current = line
    if current is not None:
        yield current, None


def at_checkpoint(code: str, seq: int, cp: dict[str, Any], what: str) -> Problem:
    """A problem of checkpoint `cp`, at event `seq`: the report names both."""
    return Problem(code, seq, f"điểm chốt số {cp['number']} {what}.", checkpoint=cp["number"])


def check_lines(
    handle: IO[bytes], key: Ed25519PublicKey, chain: str, report: VerifyReport
) -> Problem | None:
    """Rules 2 and 3 over the lines after the header; the report counts what held."""
    expected, last_hash = 1, ZEROS.encode()
    leaves: list[bytes] = []  # raw hashes of the events since the last checkpoint
    # The checkpoint before this one: its number, last event and digest (none yet: zeros).
    previous: tuple[int, int, str] = (0, 0, ZEROS)
    for line, following in lines_with_next(handle):
        if not line.startswith(b"C\t"):
            event = parse_event(line)
            if event is None:
                return Problem("ledger.malformed", expected, "dòng không đúng định dạng.")
            recorded, seq, prev = event
            if seq != expected:
                after = parse_event(following)
                if seq < expected or (after is not None and after[1] == expected):
                    detail = f"thứ tự bị đảo (gặp sự kiện số {seq})."
                    return Problem("ledger.out_of_order", expected, detail)
                return Problem("ledger.gap", expected, f"thiếu sự kiện (gặp sự kiện số {seq}).")
            if prev != last_hash:
                detail = "không nối với mã băm của sự kiện trước."
                return Problem("ledger.broken_link", expected, detail)
            digest = hashlib.sha256(line[65:]).digest()  # the bytes after the first tab
            if digest.hex().encode() != recorded:
                detail = "nội dung không khớp với mã băm đã ghi."
                return Problem("ledger.hash_mismatch", expected, detail)
            leaves.append(digest)
            last_hash, expected = recorded, expected + 1
            report.events += 1
            report.last_seq, report.last_hash = seq, recorded.decode()
            continue
        parsed = parse_checkpoint(line)
        if parsed is None:
            return Problem("ledger.malformed", expected, "dòng điểm chốt không đúng định dạng.")
        cp, body, signature = parsed
        number, seq_from, seq_to = cp["number"], cp["seq_from"], cp["seq_to"]
        mismatch = "ledger.checkpoint_mismatch"
        try:
            key.verify(signature, body)
        except InvalidSignature:
            return at_checkpoint("ledger.checkpoint_bad_signature", seq_to, cp, "ký sai")
        if cp["chain"] != chain:
            return at_checkpoint(mismatch, seq_to, cp, f"thuộc chuỗi “{cp['chain']}”")
        if seq_to > expected - 1:
            return at_checkpoint("ledger.gap", expected, cp, f"cần sự kiện số {seq_to}")
        if seq_to < expected - 1 or cp["head_hash"].encode() != last_hash:
            return at_checkpoint(mismatch, seq_to, cp, "không khớp sự kiện cuối của nó")
        if (
            number != previous[0] + 1
            or seq_from != previous[1] + 1
            or cp["prev_checkpoint_digest"] != previous[2]
        ):
            return at_checkpoint(mismatch, seq_to, cp, "không nối tiếp điểm chốt trước")
        if merkle_root(leaves) != cp["merkle_root"]:  # the events seq_from to seq_to
            return at_checkpoint(mismatch, seq_to, cp, "có gốc Merkle không khớp các sự kiện")
        previous = (number, seq_to, hashlib.sha256(body).hexdigest())
        leaves = []
        report.checkpoints += 1
        report.last_checkpoint, report.last_checkpoint_seq = number, seq_to
    return None


def verify_export(path: str | Path, public_key_pem: bytes | str | None = None) -> VerifyReport:
    """Verify an export file by rules 1 to 4. Without `public_key_pem` the header's own key is
    trusted: the file is then proven consistent, not proven signed by the installation."""
    with Path(path).open("rb") as handle:
        first, header = handle.readline(), None
        if first.startswith(HEADER_TAG):
            with contextlib.suppress(ValueError):
                header = json.loads(first[len(HEADER_TAG) :])
        if not isinstance(header, dict) or not isinstance(header.get("public_key"), str):
            detail = "tệp không phải bản xuất sổ cái Baro (thiếu dòng đầu “#baro-ledger v1”)."
            return VerifyReport(ok=False, problem=Problem("ledger.malformed", None, detail))
        chain = str(header.get("chain", ""))
        try:
            key = read_key(header["public_key"])
        except ValueError:
            detail = "khóa công khai trong dòng đầu không đọc được."
            return VerifyReport(
                ok=False, chain=chain, problem=Problem("ledger.malformed", None, detail)
            )
        report = VerifyReport(ok=False, chain=chain, key_id=key_id(key), key_source="header")
        if public_key_pem is not None:
            key, report.key_source = read_key(public_key_pem), "argument"
            if key_id(key) != report.key_id:
                detail = (
                    f"khóa công khai trong tệp xuất (khóa {report.key_id}) khác khóa được cung "
                    f"cấp (khóa {key_id(key)}); tệp không do cài đặt này ký."
                )
                report.key_id, report.problem = (
                    key_id(key),
                    Problem("ledger.wrong_key", None, detail),
                )
                return report
        report.problem = check_lines(handle, key, chain, report)
    declared = header.get("last_seq")
    if report.problem is None and isinstance(declared, int) and declared != report.last_seq:
        detail = f"tệp dừng ở sự kiện số {report.last_seq}, dòng đầu ghi đến số {declared}."
        report.problem = Problem("ledger.truncated", report.last_seq + 1, detail)
    report.ok = report.problem is None
    return report
