"""The reference verifier (baro.ledger.reference) and the fast one give the same verdict on
every file: intact, or tampered with in each way the other ledger tests build.

The verdict is the whole report but its wording: ok, problem code, event, checkpoint number,
what was proven before the problem (events, checkpoints), key and chain. The fast verifier
runs with one process and with two ranges, so a drift at a seam is caught too. Either
verifier changing a rule alone makes these tests fail.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from baro.ledger import reference, verify
from baro.ledger.canonical import canonical_json
from baro.ledger.export import installation_public_key_pem
from baro.ledger.tests.exports import KEY, SEQS, TAMPERINGS, at, build_lines, rehashed
from baro.ledger.verify import VerifyReport

Verdict = tuple[object, ...]
OTHER_KEY = Ed25519PrivateKey.generate()


def pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def verdict(report: VerifyReport) -> Verdict:
    problem = report.problem
    where = (problem.code, problem.seq, problem.checkpoint) if problem else None
    proven = (report.events, report.last_seq, report.checkpoints, report.last_checkpoint)
    # After a problem the last hash is not part of the verdict (a seam may not know it).
    last_hash = report.last_hash if report.ok else None
    key = (report.chain, report.key_id, report.key_source)
    return (report.ok, where, proven, report.last_checkpoint_seq, last_hash, *key)


def same_verdict(path: Path, public_key_pem: bytes | None = None) -> Verdict:
    """The reference's verdict, after checking the fast verifier gives it too."""
    expected = verdict(reference.verify_export(path, public_key_pem))
    for workers in (1, 2):
        report = verify.verify_export(path, public_key_pem, workers=workers, min_parallel_bytes=0)
        assert verdict(report) == expected, f"{workers} process(es)"
    return expected


@functools.cache
def intact() -> tuple[str, ...]:
    return tuple(build_lines())


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(lines), encoding="utf-8")
    return path


def checkpoint_at(lines: list[str], number: int) -> int:
    return next(
        index
        for index, line in enumerate(lines)
        if line.startswith("C\t") and json.loads(line.split("\t")[1])["number"] == number
    )


def resign(lines: list[str], which: int, key: Ed25519PrivateKey = KEY, **changes: object) -> None:
    """Checkpoint number `which` with fields changed, signed again (by the real key by
    default)."""
    index = checkpoint_at(lines, which)
    body = canonical_json({**json.loads(lines[index].split("\t")[1]), **changes})
    lines[index] = f"C\t{body}\t{key.sign(body.encode()).hex()}\n"


def rehash_from(lines: list[str], seq: int) -> None:
    """An editor who changes event `seq` and recomputes every hash after it: only the next
    checkpoint (which they cannot re-sign) catches it."""
    previous = None
    for index, line in enumerate(lines):
        if index == 0 or line.startswith("C\t"):
            continue
        _, number, prev, body = line.rstrip("\n").split("\t", 3)
        if number == str(seq):
            body = body.replace("ghi chú", "ghi chu", 1)
        lines[index] = rehashed(number, previous or prev, body)
        previous = lines[index][:64] if int(number) >= seq else None


def header_with(lines: list[str], **changes: object) -> None:
    fields = json.loads(lines[0].split("\t", 1)[1])
    lines[0] = f"{verify.HEADER_TAG}\t{canonical_json({**fields, **changes})}\n"


# Tamperings of the whole file, besides the line edits of baro.ledger.tests.exports.
FILE_CASES: list[Callable[[list[str]], None]] = []


def case(function: Callable[[list[str]], None]) -> Callable[[list[str]], None]:
    FILE_CASES.append(function)
    return function


@case
def rehashed_chain(lines: list[str]) -> None:
    rehash_from(lines, 1111)


@case
def forged_merkle_root(lines: list[str]) -> None:
    index = checkpoint_at(lines, 3)
    root = json.loads(lines[index].split("\t")[1])["merkle_root"]
    lines[index] = lines[index].replace(root, "ab" * 32)


@case
def checkpoint_signed_by_another_key(lines: list[str]) -> None:
    resign(lines, 2, OTHER_KEY)


@case
def wrong_root_under_the_real_key(lines: list[str]) -> None:
    resign(lines, 4, merkle_root="cd" * 32)


@case
def checkpoint_of_another_chain(lines: list[str]) -> None:
    resign(lines, 1, chain="khác")


@case
def checkpoint_with_a_wrong_head(lines: list[str]) -> None:
    resign(lines, 2, head_hash="ef" * 32)


@case
def checkpoint_renumbered(lines: list[str]) -> None:
    resign(lines, 3, number=4)


@case
def checkpoint_with_a_wrong_start(lines: list[str]) -> None:
    resign(lines, 3, seq_from=700)


@case
def checkpoint_naming_another_predecessor(lines: list[str]) -> None:
    resign(lines, 2, prev_checkpoint_digest="12" * 32)


@case
def checkpoint_with_a_bool(lines: list[str]) -> None:
    resign(lines, 1, number=True)


@case
def checkpoint_with_an_extra_field(lines: list[str]) -> None:
    resign(lines, 1, extra="x")


@case
def checkpoint_not_canonical(lines: list[str]) -> None:
    index = checkpoint_at(lines, 2)
    tag, body, _ = lines[index].split("\t")
    body = body.replace(",", ", ", 1)
    lines[index] = f"{tag}\t{body}\t{KEY.sign(body.encode()).hex()}\n"


@case
def checkpoint_with_a_bad_signature_field(lines: list[str]) -> None:
    index = checkpoint_at(lines, 2)
    lines[index] = lines[index][:-3] + "zz\n"


@case
def removed_checkpoint(lines: list[str]) -> None:
    del lines[checkpoint_at(lines, 2)]


@case
def duplicated_checkpoint(lines: list[str]) -> None:
    index = checkpoint_at(lines, 2)
    lines.insert(index, lines[index])


@case
def checkpoint_too_early(lines: list[str]) -> None:
    index = checkpoint_at(lines, 3)
    lines.insert(index - 1, lines.pop(index))


@case
def checkpoint_too_late(lines: list[str]) -> None:
    index = checkpoint_at(lines, 3)
    lines.insert(index + 1, lines.pop(index))


@case
def cut_after_an_event(lines: list[str]) -> None:
    del lines[at(lines, 2000) + 1 :]


@case
def cut_inside_a_line(lines: list[str]) -> None:
    index = at(lines, 2000)
    lines[index:] = [lines[index][:150]]


@case
def last_line_removed(lines: list[str]) -> None:
    lines.pop()


@case
def header_claims_more(lines: list[str]) -> None:
    header_with(lines, last_seq=9999)


@case
def header_of_another_chain(lines: list[str]) -> None:
    header_with(lines, chain="khác")


@case
def header_with_another_key(lines: list[str]) -> None:
    header_with(lines, public_key=pem(OTHER_KEY).decode())


@case
def header_with_a_bad_key(lines: list[str]) -> None:
    header_with(lines, public_key="không phải PEM")


@case
def header_not_json(lines: list[str]) -> None:
    lines[0] = f"{verify.HEADER_TAG}\t{{rác\n"


@case
def no_header(lines: list[str]) -> None:
    del lines[0]


@case
def empty_file(lines: list[str]) -> None:
    lines.clear()


@case
def windows_line_ends(lines: list[str]) -> None:
    lines[:] = [line.replace("\n", "\r\n") for line in lines]


@case
def a_tab_inside_a_hash(lines: list[str]) -> None:
    index = at(lines, 500)
    lines[index] = lines[index][:10] + "\t" + lines[index][11:]


@pytest.mark.parametrize("seq", SEQS)
@pytest.mark.parametrize("tampering", TAMPERINGS, ids=lambda function: function.__name__)
def test_each_line_edit(tmp_path: Path, tampering: Callable, seq: int) -> None:
    lines = list(intact())
    tampering(lines, seq)
    ok, where, *_ = same_verdict(write(tmp_path / "ledger.export", lines))
    assert not ok and where is not None


@pytest.mark.parametrize("tampering", FILE_CASES, ids=lambda function: function.__name__)
def test_each_file_tampering(tmp_path: Path, tampering: Callable) -> None:
    lines = list(intact())
    tampering(lines)
    ok, where, *_ = same_verdict(write(tmp_path / "ledger.export", lines))
    assert not ok and where is not None


@pytest.mark.parametrize(("events", "interval"), [(4321, 500), (4321, 257), (4321, 17), (300, 1)])
def test_a_valid_export_of_thousands_of_events(tmp_path: Path, events: int, interval: int) -> None:
    """Thousands of events, the last ones not signed yet. Checkpoints over 500 events, 257 and
    17 (a lone last child moves up, at two levels and one), and one (the root is the leaf)."""
    path = write(tmp_path / "ledger.export", build_lines(events=events, interval=interval))
    signed = events // interval
    assert same_verdict(path)[:3] == (True, None, (events, events, signed, signed))
    assert same_verdict(path, pem(KEY))[-1] == "argument"
    ok, where, *_ = same_verdict(path, pem(OTHER_KEY))
    assert (ok, where) == (False, (verify.WRONG_KEY, None, None))


def test_valid_exports_at_the_edges(tmp_path: Path) -> None:
    """No event at all (the header alone), and a file whose last line has no newline."""
    empty = write(tmp_path / "empty.export", build_lines(events=0))
    assert same_verdict(empty)[:3] == (True, None, (0, 0, 0, None))
    lines = list(intact())
    lines[-1] = lines[-1].rstrip("\n")
    assert same_verdict(write(tmp_path / "ledger.export", lines))[0] is True


@pytest.mark.django_db
def test_an_export_of_the_database(
    make_events: Callable, exported: Callable, tamper: Callable
) -> None:
    """Exports written by baro.ledger.export, not only by the test builder."""
    make_events(23, interval=5)
    path = exported()
    assert same_verdict(path, installation_public_key_pem())[:3] == (True, None, (23, 23, 4, 4))
    tamper("DELETE FROM ledger_ledgerevent WHERE seq = 9")
    assert same_verdict(exported())[1] == (verify.GAP, 9, None)
