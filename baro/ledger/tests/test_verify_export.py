"""An export verifies on its own, and every edit of the file is found at its event.

Each tampering is checked with one process and with the file split into 2 and 3 ranges, so the
seams (links and checkpoints that cross a range boundary) give the same first problem.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from baro.ledger.canonical import canonical_json, event_hash
from baro.ledger.export import installation_public_key_pem
from baro.ledger.keys import load_signing_key, public_key_pem
from baro.ledger.verify import verify_export, verify_lines

pytestmark = pytest.mark.django_db

WORKERS = [1, 2, 3, 5]


def verify_all_ways(path: Path, **kwargs: object) -> tuple[str | None, int | None]:
    """The first problem as (code, seq), the same whatever the number of processes."""
    results = set()
    for workers in WORKERS:
        report = verify_export(path, workers=workers, min_parallel_bytes=0, **kwargs)
        results.add((report.code, report.problem.seq if report.problem else None))
    assert len(results) == 1, results
    return results.pop()


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def index_of_event(lines: list[str], seq: int) -> int:
    return next(
        i
        for i, line in enumerate(lines)
        if not line.startswith(("#", "C\t")) and line.split("\t")[1] == str(seq)
    )


def index_of_checkpoint(lines: list[str], number: int) -> int:
    return next(
        i
        for i, line in enumerate(lines)
        if line.startswith("C\t") and json.loads(line.split("\t")[1])["number"] == number
    )


def test_an_export_verifies_with_the_installation_key(
    make_events: Callable, exported: Callable
) -> None:
    make_events(23, interval=5)
    path = exported()
    for workers in WORKERS:
        report = verify_export(
            path, installation_public_key_pem(), workers=workers, min_parallel_bytes=0
        )
        assert report.ok, report.summary()
        assert (report.events, report.last_seq, report.checkpoints) == (23, 23, 4)
        assert report.key_source == "argument"
    lines = lines_of(path)
    assert lines[0].startswith("#baro-ledger v1\t")
    assert sum(line.startswith("C\t") for line in lines) == 4
    # A checkpoint line follows the event it ends.
    assert lines[index_of_checkpoint(lines, 1) - 1].split("\t")[1] == "5"
    # One slice, one hash: the recorded hash is SHA-256 of the rest of the line.
    line = lines[index_of_event(lines, 9)].rstrip("\n")
    import hashlib

    assert line[:64] == hashlib.sha256(line[65:].encode()).hexdigest()


def test_one_changed_payload_byte(make_events: Callable, exported: Callable) -> None:
    make_events(23)
    path = exported()
    lines = lines_of(path)
    index = index_of_event(lines, 11)
    lines[index] = lines[index].replace('"percent":33', '"percent":34')
    path.write_text("".join(lines), encoding="utf-8")
    assert verify_all_ways(path) == ("ledger.hash_mismatch", 11)


@pytest.mark.parametrize("seq", [1, 8, 10, 11, 23])
def test_a_deleted_event(make_events: Callable, exported: Callable, seq: int) -> None:
    make_events(23)
    path = exported()
    lines = lines_of(path)
    del lines[index_of_event(lines, seq)]
    path.write_text("".join(lines), encoding="utf-8")
    expected = "ledger.truncated" if seq == 23 else "ledger.gap"
    assert verify_all_ways(path) == (expected, seq)


@pytest.mark.parametrize("seq", [1, 3, 7, 12, 18, 22])
def test_two_swapped_events(make_events: Callable, exported: Callable, seq: int) -> None:
    make_events(23, interval=100)  # no checkpoint line between the two
    path = exported()
    lines = lines_of(path)
    first, second = index_of_event(lines, seq), index_of_event(lines, seq + 1)
    lines[first], lines[second] = lines[second], lines[first]
    path.write_text("".join(lines), encoding="utf-8")
    assert verify_all_ways(path) == ("ledger.out_of_order", seq)


def test_a_rehashed_chain_is_caught_by_the_next_checkpoint(
    make_events: Callable, exported: Callable
) -> None:
    """An editor who recomputes every hash after the change still cannot re-sign."""
    make_events(23)
    path = exported()
    lines = lines_of(path)
    previous = None
    for index, line in enumerate(lines):
        if line.startswith(("#", "C\t")):
            continue
        _, seq, prev, body = line.rstrip("\n").split("\t", 3)
        if seq == "12":
            body = body.replace("person:1", "person:3")
        prev = previous or prev
        digest = event_hash(int(seq), prev, body)
        lines[index] = f"{digest}\t{seq}\t{prev}\t{body}\n"
        previous = digest
    path.write_text("".join(lines), encoding="utf-8")
    assert verify_all_ways(path) == ("ledger.checkpoint_mismatch", 15)


def test_a_forged_merkle_root(make_events: Callable, exported: Callable) -> None:
    make_events(23)
    path = exported()
    lines = lines_of(path)
    index = index_of_checkpoint(lines, 3)
    tag, body, signature = lines[index].split("\t")
    root = json.loads(body)["merkle_root"]
    lines[index] = "\t".join([tag, body.replace(root, "ab" * 32), signature])
    path.write_text("".join(lines), encoding="utf-8")
    assert verify_all_ways(path) == ("ledger.checkpoint_bad_signature", 15)


def test_a_checkpoint_signed_with_another_key(make_events: Callable, exported: Callable) -> None:
    make_events(23)
    path = exported()
    lines = lines_of(path)
    index = index_of_checkpoint(lines, 2)
    tag, body, _ = lines[index].split("\t")
    signature = Ed25519PrivateKey.generate().sign(body.encode()).hex()
    lines[index] = f"{tag}\t{body}\t{signature}\n"
    path.write_text("".join(lines), encoding="utf-8")
    assert verify_all_ways(path) == ("ledger.checkpoint_bad_signature", 10)


def test_a_wrong_root_under_the_real_key(make_events: Callable, exported: Callable) -> None:
    make_events(23)
    path = exported()
    lines = lines_of(path)
    index = index_of_checkpoint(lines, 4)
    fields = {**json.loads(lines[index].split("\t")[1]), "merkle_root": "cd" * 32}
    body = canonical_json(fields)
    lines[index] = f"C\t{body}\t{load_signing_key().sign(body.encode()).hex()}\n"
    path.write_text("".join(lines), encoding="utf-8")
    assert verify_all_ways(path) == ("ledger.checkpoint_mismatch", 20)


def test_a_removed_checkpoint_line(make_events: Callable, exported: Callable) -> None:
    make_events(23)
    path = exported()
    lines = lines_of(path)
    del lines[index_of_checkpoint(lines, 2)]
    path.write_text("".join(lines), encoding="utf-8")
    assert verify_all_ways(path) == ("ledger.checkpoint_mismatch", 15)


def test_a_whole_file_signed_by_another_installation(
    make_events: Callable, exported: Callable
) -> None:
    make_events(8)
    path = exported()
    other = public_key_pem(Ed25519PrivateKey.generate().public_key())
    report = verify_export(path, other)
    assert (report.ok, report.code) == (False, "ledger.wrong_key")
    assert "khác khóa được cung cấp" in report.message
    # Without --public-key the header's key is used, and the report says so.
    assert verify_export(path).key_source == "header"


def test_a_malformed_line(make_events: Callable, exported: Callable) -> None:
    make_events(8)
    path = exported()
    lines = lines_of(path)
    lines.insert(index_of_event(lines, 4), "rác\n")
    path.write_text("".join(lines), encoding="utf-8")
    assert verify_all_ways(path) == ("ledger.malformed", 4)


def test_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("xin chào\n", encoding="utf-8")
    report = verify_export(path)
    assert (report.ok, report.code) == (False, "ledger.malformed")
    assert report.message.startswith("Tệp không phải bản xuất sổ cái Baro")


def test_the_core_takes_any_iterator_of_lines(make_events: Callable, exported: Callable) -> None:
    make_events(7)
    lines = lines_of(exported())[1:]
    report = verify_lines(iter(lines), public_key_pem=installation_public_key_pem())
    assert (report.ok, report.last_seq, report.checkpoints) == (True, 7, 1)
    del lines[2]
    report = verify_lines(iter(lines), public_key_pem=installation_public_key_pem())
    assert (report.code, report.problem.seq) == ("ledger.gap", 3)


def test_an_export_verifies_without_django(make_events: Callable, exported: Callable) -> None:
    make_events(12)
    path = exported()
    key_file = path.with_suffix(".pem")
    key_file.write_bytes(installation_public_key_pem())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE"))}
    script = (
        "import sys\n"
        "from baro.ledger.verify import verify_export\n"
        "report = verify_export(sys.argv[1], open(sys.argv[2], 'rb').read(), workers=2,"
        " min_parallel_bytes=0)\n"
        "assert not any(name == 'django' or name.startswith('django.') for name in sys.modules)\n"
        "print(report.ok, report.last_seq, report.checkpoints)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path), str(key_file)],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "12", "2"]
