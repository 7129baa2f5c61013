"""The verifier checks runs of lines in batches and goes line by line only when a batch fails:
whatever is wrong, it must report exactly what the line-by-line path alone reports.

These exports (baro.ledger.tests.exports) are built from baro.ledger.canonical alone (no
database), big enough for runs of hundreds of lines, sequence numbers crossing 10, 100 and
1,000, and (with a small read chunk) lines and checkpoints cut by chunk ends.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from baro.ledger import verify
from baro.ledger.tests.exports import (
    EVENTS,
    INTERVAL,
    SEQS,
    TAMPERINGS,
    build_lines,
    edit_payload,
    swap,
)
from baro.ledger.verify import core, export_file


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
