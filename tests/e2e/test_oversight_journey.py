"""The third clear through the pages, in Chromium, in Vietnamese: the city's inspector (kiemtra)
opens a sign of avoidance that Baro raised on a unit whose head has a demo login, follows its
evidence to the task page, confirms it, plans an inspection of that head, cites the flag,
records findings, concludes, then records a handling decision; then the head signs in and
finds it all on "Hồ sơ trách nhiệm".

The demo city has overdue, silent, unaccepted tasks but no flags until Baro's worker has run:
the journey runs `baro worker --once` against the server's own data (its environment is read
from the server process, found by its port), so the ladder and the detectors raise them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from baro.demo.loader import ACCOUNTS
from tests.e2e.conftest import PASSWORD, PERSONAS, REPO, Persona, login

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

# Units of the demo city whose head signs in, and that head's account.
HEADS = {
    "Sở Tài chính": "giamdoc.stc",
    "Phường Hoàn Kiếm": "chutich.hoankiem",
}


def _server_env(base_url: str) -> dict[str, str]:
    """The environment of the `baro serve` process listening on `base_url`'s port (its data
    directory, its DATABASE_URL), read from /proc."""
    port = str(urlsplit(base_url).port).encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
            if not (b"baro" in args and b"serve" in args and port in args):
                continue
            raw = (proc / "environ").read_bytes()
        except OSError:
            continue
        pairs = (item.decode().partition("=") for item in raw.split(b"\0") if b"=" in item)
        return {name: value for name, _sep, value in pairs}
    raise RuntimeError(f"no `baro serve` process found for {base_url}")


def run_worker_once(base_url: str) -> str:
    """One pass of Baro's worker (ladder, detectors, deliveries) on the server's data."""
    env = _server_env(base_url)
    result = subprocess.run(
        [sys.executable, "-m", "baro", "worker", "--once"],
        env={**os.environ, **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"baro worker --once:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def switch(page: Page, persona: Persona) -> None:
    page.context.clear_cookies()
    login(page, persona)


def head_persona(unit: str) -> Persona:
    return Persona(HEADS[unit], PASSWORD, "Trang của Người đứng đầu")


def pick_flag(page: Page) -> tuple[str, str]:
    """The first open flag on a unit whose head signs in: (its URL, the unit)."""
    for unit in HEADS:
        page.goto("/giam-sat/dau-hieu/?status=open")
        rows = page.locator(f'#flag-table tbody tr[data-unit="{unit}"]')
        if rows.count():
            href = rows.first.locator("a").first.get_attribute("href")
            assert href is not None
            return href, unit
    return "", ""


def test_inspector_handles_a_flagged_head_who_sees_it_on_his_record(
    browser_page: Page, baro_server: str
) -> None:
    page = browser_page
    login(page, PERSONAS["inspector"])
    flag_url, unit = pick_flag(page)
    if not flag_url:
        summary = run_worker_once(baro_server)
        flag_url, unit = pick_flag(page)
        assert flag_url, f"No open flag on {', '.join(HEADS)} after the worker: {summary}"
    head = ACCOUNTS[HEADS[unit]]
    # In the list's narrow first column a flag's number (#24) stays on one line.
    page.goto("/giam-sat/dau-hieu/")
    lines = page.locator("#flag-table tbody td:first-child a").evaluate_all(
        "links => links.map(link => link.getClientRects().length)"
    )
    assert lines and set(lines) == {1}, lines

    # The inspector finds "Giám sát" in the menu and the flag's page.
    page.goto("/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Giám sát"
    ).click()
    page.get_by_role("heading", level=1, name="Giám sát: đôn đốc, kiểm tra, xử lý").wait_for()
    page.goto(flag_url)
    flag_id = re.search(r"/dau-hieu/(\d+)/", flag_url).group(1)  # type: ignore[union-attr]
    assert page.inner_text("#flag-unit") == unit
    assert "Chờ xem xét" in page.inner_text("#flag-status")

    # The evidence leads to the task page, whose third panel names the flag.
    task_link = page.locator(
        "#flag-evidence a.evidence-task, #flag-facts a[href^='/nhiem-vu/']"
    ).first
    task_title = task_link.inner_text()
    task_link.click()
    page.wait_for_url(re.compile(r"/nhiem-vu/\d+/$"))
    page.get_by_role("heading", level=1, name=task_title).wait_for()
    panel = page.locator("#panel-oversight")
    panel.locator("#oversight-panel").wait_for()
    assert "Thang đôn đốc theo hạn" in panel.inner_text()
    assert f"#{flag_id}" in panel.locator("#oversight-flags").inner_text()
    page.go_back()
    page.wait_for_url(re.compile(rf"/dau-hieu/{flag_id}/$"))

    # Confirmed, with a reason and a second, explicit confirmation.
    page.get_by_label("Xác nhận dấu hiệu (có căn cứ, cần xử lý)").check()
    page.get_by_role("button", name="Tiếp tục").click()
    assert page.inner_text("#field-reason .error") == "Chưa nhập lý do."
    page.get_by_label("Xác nhận dấu hiệu (có căn cứ, cần xử lý)").check()
    page.locator("#decide-form #id_reason").fill(
        "Đối chiếu sổ cái: nhiệm vụ quá hạn, không cập nhật tiến độ."
    )
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Đồng ý, xác nhận").click()
    page.wait_for_url(re.compile(rf"/dau-hieu/{flag_id}/$"))
    assert "Đã xác nhận dấu hiệu." in page.inner_text(".messages")
    assert "Đã xác nhận" in page.inner_text("#flag-status")

    # An inspection of the unit and its head, planned from the flag.
    page.locator("#open-inspection").click()
    page.get_by_role("heading", level=1, name="Lập kế hoạch kiểm tra").wait_for()
    assert page.locator("#id_target_unit option:checked").inner_text().strip().endswith(unit)
    person = page.locator("#id_target_person option", has_text=head.person_code)
    page.select_option("#id_target_person", value=person.get_attribute("value"))
    title = f"Kiểm tra trách nhiệm người đứng đầu {unit} {time.time_ns()}"
    page.get_by_label("Tên cuộc kiểm tra").fill(title)
    page.get_by_role("button", name="Lập kế hoạch kiểm tra").click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert f"Đã lập kế hoạch kiểm tra “{title}”." in page.inner_text(".messages")
    assert head.full_name in page.inner_text("#inspection-person")

    # The flag it came from is proposed as evidence.
    assert page.locator("#id_flag option:checked").inner_text().startswith(f"#{flag_id} ")
    page.get_by_role("button", name="Bổ sung chứng cứ").click()
    assert "Đã bổ sung chứng cứ." in page.inner_text(".messages")
    assert f"#{flag_id}" in page.inner_text("#evidence")

    # The findings, then the conclusion (final, confirmed in a second step): only a concluded
    # inspection offers the handling decision.
    assert page.locator("#handling-form").count() == 0
    page.locator("#findings summary").click()
    page.locator("#findings-form #id_findings").fill(
        "Nhiệm vụ quá hạn kéo dài, không cập nhật tiến độ trên hệ thống."
    )
    page.get_by_role("button", name="Ghi kết quả").click()
    assert "Đã ghi kết quả kiểm tra." in page.inner_text(".messages")
    page.locator("#conclude-form #id_conclusion").fill(
        "Người đứng đầu chịu trách nhiệm về việc để nhiệm vụ quá hạn kéo dài."
    )
    page.get_by_role("button", name="Kết luận", exact=True).click()
    page.get_by_role("button", name="Đồng ý, kết luận").click()
    assert "Đã kết luận cuộc kiểm tra." in page.inner_text(".messages")

    # The handling decision: the reason is required, then recorded.
    number = f"{time.time_ns() % 1000}-QĐ/UBKTTU"
    page.get_by_label("Hình thức xử lý").select_option(label="Phê bình")
    page.get_by_label("Số văn bản xử lý").fill(number)
    page.get_by_role("button", name="Ghi quyết định xử lý").click()
    assert page.inner_text("#field-reason .error") == "Chưa nhập lý do xử lý."
    page.get_by_label("Lý do xử lý").fill(
        "Thiếu kiểm tra, đôn đốc; để nhiệm vụ quá hạn kéo dài, không báo cáo tiến độ."
    )
    page.get_by_role("button", name="Ghi quyết định xử lý").click()
    assert f"Đã ghi quyết định xử lý: Phê bình, văn bản số {number}." in page.inner_text(
        ".messages"
    )
    handlings = page.inner_text("#handlings")
    assert "Phê bình" in handlings and head.full_name in handlings and number in handlings

    # The head signs in and finds it on his responsibility record.
    switch(page, head_persona(unit))
    page.locator("#home-record").click()
    page.get_by_role("heading", level=1, name="Hồ sơ trách nhiệm").wait_for()
    record = page.inner_text("#record-handlings")
    assert "Phê bình" in record and number in record
    assert title in page.inner_text("#record-inspections")
    assert f"#{flag_id}" in page.inner_text("#record-flags")
    page.screenshot(path="/tmp/baro-e2e-oversight-record.png", full_page=True)
