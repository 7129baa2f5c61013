"""Browser journeys against a real Baro server, driven through Debian's Chromium.

The session fixture `baro_server` gives the server its own data directory (and, when
DATABASE_URL points at PostgreSQL, its own fresh database), runs `baro init`, loads the
demo city (`baro demo`), starts `baro serve` on a free port and stops it at the end. pytest-django's
live_server is not used: the ledger's triggers refuse the table flush it relies on.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import pytest

from baro.demo.loader import DEMO_ACCOUNTS, DEMO_PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("BARO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Persona:
    username: str
    password: str
    home_heading: str


# The accounts the journeys sign in with: the demo city's (`baro demo`), one per role.
PASSWORD = DEMO_PASSWORD
PERSONAS: dict[str, Persona] = {
    "admin": Persona("admin", PASSWORD, "Trang của Quản trị hệ thống"),
    "leader": Persona("chutich", PASSWORD, "Trang của Người đứng đầu"),
    "deputy": Persona("phochutich", PASSWORD, "Trang của Cấp phó"),
    "head": Persona("giamdoc.stc", PASSWORD, "Trang của Người đứng đầu"),
    "officer": Persona("chuyenvien.stc", PASSWORD, "Trang của Chuyên viên"),
    "secretariat": Persona("vanthu.stc", PASSWORD, "Trang của Văn thư, tổng hợp"),
    "inspector": Persona("kiemtra", PASSWORD, "Trang của Kiểm tra, thanh tra"),
    "front": Persona("mttq", PASSWORD, "Trang của Giám sát (MTTQ)"),
}
# Units and people of the demo city the journeys refer to.
DEPARTMENT_CODE = "HN-SNV"
DEPARTMENT_NAME = "Sở Nội vụ"
# Not one of the personas: appointing them head must not change what a persona sees later.
_candidate = next(account for account in DEMO_ACCOUNTS if account.username == "phogiamdoc.stc")
HEAD_CANDIDATE_CODE = _candidate.person_code
HEAD_CANDIDATE_NAME = _candidate.full_name


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _baro(env: dict[str, str], *args: str, timeout: int = 300) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "baro", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"baro {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def e2e_database_url() -> Iterator[str | None]:
    """A fresh PostgreSQL database for the server when DATABASE_URL is set; else None."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    base_name = parts.path.lstrip("/") or "baro"
    name = f"{base_name}_e2e_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="session")
def baro_server(e2e_database_url: str | None) -> Iterator[str]:
    """Start a seeded Baro server in a subprocess; yield its base URL."""
    with tempfile.TemporaryDirectory(prefix="baro-e2e-") as data_dir:
        env = {**os.environ, "BARO_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "baro.settings"}
        env.pop("DATABASE_URL", None)
        if e2e_database_url:
            env["DATABASE_URL"] = e2e_database_url
        _baro(env, "init", "--quiet")
        _baro(env, "demo")
        port = _free_port()
        log_path = Path(data_dir) / "server.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "baro", "serve", "--port", str(port)],
                env=env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            base_url = f"http://127.0.0.1:{port}"
            try:
                _wait_until_up(f"{base_url}/dang-nhap/", server, log_path)
                yield base_url
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"baro serve exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"baro serve did not answer at {url}:\n{log_path.read_text()}")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium: Browser, baro_server: str) -> Iterator[Page]:
    """A fresh browser context speaking Vietnamese, so each journey starts signed out."""
    context = chromium.new_context(
        base_url=baro_server, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def login(page: Page, persona: Persona) -> None:
    """Sign in through the login page and land on the home page."""
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(persona.username)
    page.get_by_label("Mật khẩu").fill(persona.password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")
