from __future__ import annotations

from pathlib import Path

import pytest

from baro.cli import main
from baro.org.models import Unit
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
