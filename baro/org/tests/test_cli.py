from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from baro.cli import cli_language, main
from baro.ledger.models import LedgerEvent
from baro.org.models import ApiToken, Person, Unit
from baro.testing.org import World

pytestmark = pytest.mark.django_db


def test_cli_imports_a_file(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.csv"
    path.write_text("loai_dong,ma_don_vi,ten_don_vi,loai_don_vi\nunit,CLI-1,Phòng CLI,division\n")
    code = main(["org", "import", str(path), "--parent", "SO-B", "--as", world.admin.user.username])
    assert code == 0
    assert "Đã nhập 1 đơn vị" in capsys.readouterr().out
    assert Unit.objects.get(code="CLI-1").parent == world.dept_b


def test_cli_prints_each_bad_row_and_fails(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "loai_dong,ma_don_vi,ten_don_vi,loai_don_vi\nunit,SO-A,Trùng,division\nunit,X,X,sao\n"
    )
    code = main(["org", "import", str(path), "--parent", "SO-B", "--as", world.admin.user.username])
    assert code == 1
    err = capsys.readouterr().err
    assert "Lỗi [import.invalid]" in err
    assert "dòng 2, cột ma_don_vi" in err
    assert "dòng 3, cột loai_don_vi" in err
    assert not Unit.objects.filter(code="X").exists()


def test_cli_template(tmp_path: Path) -> None:
    assert main(["org", "template", str(tmp_path / "mau.xlsx")]) == 0
    assert (tmp_path / "mau.xlsx").stat().st_size > 0


def username(person: Person) -> str:
    assert person.user is not None
    return person.user.username


def test_cli_issues_a_token_an_administrator_can_use_at_once(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    before = LedgerEvent.objects.count()
    code = main(
        [
            "token", "issue", "--person", world.officer.code, "--as", username(world.admin),
            "--name", "Đồng bộ", "--expires", "2027-06-30",
        ]
    )  # fmt: skip
    assert code == 0
    out, err = capsys.readouterr()
    raw = out.strip()
    assert raw.startswith("baro_") and "\n" not in raw
    assert "Đã cấp mã truy cập “Đồng bộ”" in err and "đến hết 30/06/2027" in err
    token = ApiToken.objects.get(person=world.officer)
    assert token.name == "Đồng bộ" and raw.startswith(token.prefix)
    event = LedgerEvent.objects.get(seq__gt=before)
    assert event.action == "org.api_token.issued" and event.actor == world.admin.ledger_ref
    assert raw not in event.body
    response = Client().get("/api/v1/org/units", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--person", "SO-A-HEAD", "--as", "officer"], "Lỗi [auth.denied]"),
        (["--person", "KHONG-CO", "--as", "admin"], "Lỗi [org.unknown_person]"),
        (["--person", "SO-A-HEAD", "--as", "khong-co"], "Lỗi [org.unknown_user]"),
        (["--person", "SO-A-HEAD", "--as", "admin", "--expires", "30/06"], "Lỗi [org.invalid]"),
        (
            ["--person", "SO-A-HEAD", "--as", "admin", "--expires", "2020-01-01"],
            "Lỗi [org.token_expiry_past]",
        ),
    ],
)
def test_cli_refuses_a_token_in_one_line_and_issues_nothing(
    world: World, capsys: pytest.CaptureFixture[str], args: list[str], error: str
) -> None:
    names = {"SO-A-HEAD": world.head.code, "officer": username(world.officer)}
    names["admin"] = username(world.admin)
    args = [names.get(arg, arg) for arg in args]
    before = LedgerEvent.objects.count()
    assert main(["token", "issue", *args]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(error) and err.count("\n") == 1, err
    assert not ApiToken.objects.exists()
    assert LedgerEvent.objects.count() == before


def _refuse_a_token(world: World) -> None:
    args = ["--person", world.head.code, "--as", username(world.officer)]
    assert main(["token", "issue", *args]) == 1
    assert not ApiToken.objects.exists()


def test_the_cli_refuses_in_english_in_an_english_shell(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    _refuse_a_token(world)
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    assert err.startswith("Error [auth.denied]: Chuyên Viên does not hold the power “"), err
    # The shell's language lasts as long as the command: the caller's is back.
    assert translation.get_language() == "vi"


def test_the_cli_imports_nothing_and_lists_the_bad_rows_in_english(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANGUAGE", "en_GB:en")
    path = tmp_path / "a.csv"
    path.write_text("loai_dong,ma_don_vi,ten_don_vi,loai_don_vi\nunit,X,X,sao\n")
    code = main(["org", "import", str(path), "--parent", "SO-B", "--as", username(world.admin)])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("Error [import.invalid]: The file has 1 wrong rows"), err
    assert "\n  row 2, column loai_don_vi: " in err
    assert not Unit.objects.filter(code="X").exists()


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({}, "vi"),
        ({"LANG": "C.UTF-8"}, "vi"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en"}, "en"),
        ({"LANGUAGE": "en_GB:en", "LANG": "vi_VN.UTF-8"}, "en"),
        ({"LANGUAGE": "vi", "LANG": "en_US.UTF-8"}, "vi"),
        ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "vi"),
        ({"LANGUAGE": "", "LC_MESSAGES": "en_US.UTF-8", "LANG": "vi_VN.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "vi"),
    ],
)
def test_the_cli_reads_its_language_from_the_locale(environ: dict[str, str], language: str) -> None:
    assert cli_language(environ) == language


def test_the_cli_stays_vietnamese_in_a_vietnamese_shell(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "vi")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    _refuse_a_token(world)
    assert capsys.readouterr().err.startswith("Lỗi [auth.denied]: Chuyên Viên không ")
