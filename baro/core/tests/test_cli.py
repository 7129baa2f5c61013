from __future__ import annotations

import subprocess
import sys

import pytest

from baro.cli import main


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
