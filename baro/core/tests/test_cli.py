from __future__ import annotations

import subprocess
import sys

import pytest

from baro.cli import main
from baro.testing.factories import UnitFactory


@pytest.mark.django_db
def test_init_reports_the_data_directory_and_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "Thư mục dữ liệu" in out
    assert "Khóa ký sổ cái" in out


def test_unknown_command_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "baro", "no-such-command"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "no-such-command" in result.stderr


@pytest.mark.django_db
def test_the_demo_leaves_naming_the_data_directory_to_serve(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # scripts/demo.sh runs `baro demo` then `baro serve`, which names the directory: the demo
    # named it too, so it was printed twice.
    UnitFactory()
    assert main(["demo", "--if-empty"]) == 0
    out = capsys.readouterr().out
    assert "Thư mục dữ liệu" not in out
    assert "không nạp lại dữ liệu mẫu" in out and "Tài khoản mẫu" in out
