"""Browser journeys against a real Baro server, driven through Debian's Chromium.

The session fixture `baro_server` gives the server its own data directory (and, when
DATABASE_URL points at PostgreSQL, its own fresh database), runs `baro init`, loads the
personas below, starts `baro serve` on a free port and stops it at the end. pytest-django's
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


# The one place that names the accounts the journeys sign in with. When `baro demo` is used
# instead of SEED_SCRIPT, point these at the demo's accounts.
PASSWORD = "baro-demo-2026"
PERSONAS: dict[str, Persona] = {
    "admin": Persona("admin", PASSWORD, "Trang của Quản trị hệ thống"),
    "head": Persona("giamdoc.snv", PASSWORD, "Trang của Người đứng đầu"),
    "officer": Persona("chuyenvien.snv", PASSWORD, "Trang của Chuyên viên"),
    "secretariat": Persona("vanthu.snv", PASSWORD, "Trang của Văn thư, tổng hợp"),
    "inspector": Persona("thanhtra", PASSWORD, "Trang của Kiểm tra, thanh tra"),
    "front": Persona("mttq", PASSWORD, "Trang của Giám sát (MTTQ)"),
}
# Units and people the journeys refer to (codes from SEED_SCRIPT).
DEPARTMENT_CODE = "HN-SNV"
DEPARTMENT_NAME = "Sở Nội vụ"
HEAD_CANDIDATE_CODE = "SNV-002"
HEAD_CANDIDATE_NAME = "Lê Thị Chuyên"

SEED_SCRIPT = f"""
from baro.org import services as s
from baro.org.models import Role, UnitKind
P = {PASSWORD!r}
admin = s.bootstrap_installation(root_name="Thành phố Hà Nội", root_code="HN",
    admin_username="admin", admin_password=P, admin_full_name="Nguyễn Văn Quản")
root = admin.positions.get().unit
snv = s.unit_create(actor=admin, code={DEPARTMENT_CODE!r}, name={DEPARTMENT_NAME!r},
    kind=UnitKind.DEPARTMENT, parent=root, short_name="SNV",
    mandate="Tham mưu về tổ chức bộ máy, công chức, viên chức.")
tt = s.unit_create(actor=admin, code="HN-TTTP", name="Thanh tra Thành phố",
    kind=UnitKind.DEPARTMENT, parent=root)
mt = s.unit_create(actor=admin, code="HN-MTTQ", name="Ủy ban MTTQ Việt Nam Thành phố",
    kind=UnitKind.FATHERLAND_FRONT, parent=root)
s.person_create(actor=admin, unit=snv, full_name="Trần Văn Đức", code="SNV-001",
    username="giamdoc.snv", password=P, role=Role.HEAD, title="Giám đốc Sở")
s.person_create(actor=admin, unit=snv, full_name={HEAD_CANDIDATE_NAME!r},
    code={HEAD_CANDIDATE_CODE!r}, username="chuyenvien.snv", password=P, role=Role.OFFICER,
    title="Chuyên viên")
s.person_create(actor=admin, unit=snv, full_name="Phạm Thu Hà", code="SNV-003",
    username="vanthu.snv", password=P, role=Role.SECRETARIAT, title="Văn thư")
s.person_create(actor=admin, unit=tt, full_name="Hoàng Minh Tuấn", code="TT-001",
    username="thanhtra", password=P, role=Role.INSPECTOR, title="Thanh tra viên")
s.person_create(actor=admin, unit=mt, full_name="Đỗ Thị Mai", code="MT-001",
    username="mttq", password=P, role=Role.FRONT_SUPERVISOR, title="Ủy viên Ban Thường trực")
"""


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
        _baro(env, "manage", "shell", "-c", SEED_SCRIPT)
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
