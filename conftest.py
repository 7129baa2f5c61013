"""Suite-wide fixtures: a signing key in a temporary directory, the system actor; and the shared
test support of baro/testing, registered once here for every package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from baro.ledger.keys import ensure_signing_key

# Before any of baro.testing is imported, so that the asserts of its helpers report like a
# test's own.
pytest.register_assert_rewrite("baro.testing")

pytest_plugins = ["baro.testing.org", "baro.testing.work", "baro.testing.notify"]


@pytest.fixture(autouse=True)
def vietnamese_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """`baro` follows the shell's locale (baro.cli.cli_language): the tests run it from a
    Vietnamese-speaking shell whatever the machine's locale; a test wanting English sets it."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(autouse=True, scope="session")
def ledger_signing_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    keys = tmp_path_factory.mktemp("keys")
    original = settings.KEYS_DIR
    settings.KEYS_DIR = keys
    ensure_signing_key(keys)
    yield keys
    settings.KEYS_DIR = original
