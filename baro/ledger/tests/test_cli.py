from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from baro.cli import main
from baro.ledger import reference
from baro.ledger.export import installation_public_key_pem
from baro.ledger.keys import key_id, load_signing_key, public_key_pem
from baro.ledger.models import LedgerCheckpoint

pytestmark = pytest.mark.django_db


def test_verify_the_database(make_events: Callable, capsys: pytest.CaptureFixture) -> None:
    make_events(12, interval=5)
    assert main(["ledger", "verify"]) == 0
    out = capsys.readouterr().out
    short = key_id(load_signing_key().public_key())[:8]
    assert out.startswith(
        f"Toàn vẹn đến sự kiện số 12; điểm chốt số 2 đã ký hợp lệ (khóa {short}…)."
    )
    assert "2 sự kiện sau điểm chốt cuối chưa được ký" in out


def test_verify_reports_the_first_problem(
    make_events: Callable, tamper: Callable, capsys: pytest.CaptureFixture
) -> None:
    make_events(12)
    tamper("DELETE FROM ledger_ledgerevent WHERE seq = 6")
    assert main(["ledger", "verify"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Lỗi [ledger.gap]: Sổ cái bị sửa tại sự kiện số 6: ")


def test_export_then_verify_the_file(
    make_events: Callable, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    make_events(9, interval=5)
    path, key_file = tmp_path / "so-cai.txt", tmp_path / "khoa.pem"
    key_file.write_bytes(installation_public_key_pem())
    assert main(["ledger", "export", str(path)]) == 0
    assert "Đã xuất 9 sự kiện và 1 điểm chốt" in capsys.readouterr().out
    assert main(["ledger", "verify", "--export", str(path), "--public-key", str(key_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Toàn vẹn đến sự kiện số 9; điểm chốt số 1 đã ký hợp lệ")
    assert "Lưu ý" not in out
    assert main(["ledger", "verify", "--export", str(path)]) == 0
    assert "Lưu ý: chữ ký được kiểm bằng khóa ghi trong chính tệp xuất" in capsys.readouterr().out


def test_verify_a_file_against_another_key(
    make_events: Callable, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    make_events(3)
    path, key_file = tmp_path / "so-cai.txt", tmp_path / "khac.pem"
    key_file.write_bytes(public_key_pem(Ed25519PrivateKey.generate().public_key()))
    main(["ledger", "export", str(path)])
    capsys.readouterr()
    assert main(["ledger", "verify", "--export", str(path), "--public-key", str(key_file)]) == 1
    assert capsys.readouterr().err.startswith("Lỗi [ledger.wrong_key]: Khóa công khai")


def test_verify_a_file_with_the_reference_verifier(
    make_events: Callable,
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[Path] = []
    plain = reference.verify_export
    monkeypatch.setattr(
        reference, "verify_export", lambda path, key: ran.append(path) or plain(path, key)
    )
    make_events(9, interval=5)
    path, key_file = tmp_path / "so-cai.txt", tmp_path / "khoa.pem"
    key_file.write_bytes(installation_public_key_pem())
    main(["ledger", "export", str(path)])
    capsys.readouterr()
    assert main(["ledger", "verify", "--reference", str(path), "--public-key", str(key_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Toàn vẹn đến sự kiện số 9; điểm chốt số 1 đã ký hợp lệ")
    assert "Lưu ý" not in out
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[7] = lines[7].replace("person:", "person:9")  # event 6 (after checkpoint 1)
    path.write_text("".join(lines), encoding="utf-8")
    assert main(["ledger", "verify", "--reference", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Lỗi [ledger.hash_mismatch]: Sổ cái bị sửa tại sự kiện số 6: ")
    assert captured.err.count("\n") == 1
    other = tmp_path / "khac.pem"
    other.write_bytes(public_key_pem(Ed25519PrivateKey.generate().public_key()))
    assert main(["ledger", "verify", "--reference", str(path), "--public-key", str(other)]) == 1
    assert capsys.readouterr().err.startswith("Lỗi [ledger.wrong_key]: Khóa công khai")
    assert ran == [path, path, path]  # the reference verifier, not the fast one


def test_checkpoint_now(make_events: Callable, capsys: pytest.CaptureFixture) -> None:
    make_events(7, interval=5)
    assert main(["ledger", "checkpoint"]) == 0
    assert "Đã ký điểm chốt số 2: sự kiện số 6 đến 7" in capsys.readouterr().out
    assert LedgerCheckpoint.objects.count() == 2
    assert main(["ledger", "checkpoint"]) == 0
    assert capsys.readouterr().out.startswith("Không có sự kiện mới kể từ điểm chốt số 2")
    assert LedgerCheckpoint.objects.count() == 2
