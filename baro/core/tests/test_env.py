from __future__ import annotations

import pytest

from baro.env import ConfigError, env_bool, env_int, env_list, env_secret


def test_env_bool_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BARO_X", "yes")
    assert env_bool("BARO_X") is True
    monkeypatch.setenv("BARO_X", "off")
    assert env_bool("BARO_X", True) is False
    monkeypatch.delenv("BARO_X")
    assert env_bool("BARO_X", True) is True


def test_env_bool_refuses_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BARO_X", "maybe")
    with pytest.raises(ConfigError, match="BARO_X"):
        env_bool("BARO_X")


def test_env_int_checks_type_and_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BARO_N", "12")
    assert env_int("BARO_N", 1) == 12
    monkeypatch.setenv("BARO_N", "0")
    with pytest.raises(ConfigError, match="at least 1"):
        env_int("BARO_N", 5, minimum=1)
    monkeypatch.setenv("BARO_N", "ten")
    with pytest.raises(ConfigError, match="integer"):
        env_int("BARO_N", 5)


def test_env_list_and_secret_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BARO_L", " a, b ,,c ")
    assert env_list("BARO_L", []) == ["a", "b", "c"]
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("BARO_S_FILE", str(secret))
    assert env_secret("BARO_S") == "s3cret"
