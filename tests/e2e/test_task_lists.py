"""Journeys through the task lists (/nhiem-vu/) on the demo city, in Chromium, in Vietnamese.

The tasks are those of the demo's 24-CT/TU story (`baro demo`): the journeys read what the
page shows and check that filters, tabs, pages and the export agree with it, rather than
hard-coding the story's figures.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook

from baro.core.text import fold_text
from tests.e2e.conftest import PERSONAS, login

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

OVERDUE = "Đang thực hiện quá hạn"


def open_task_list(page: Page) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Nhiệm vụ"
    ).click()
    page.get_by_role("heading", level=1, name="Nhiệm vụ").wait_for()


def tabs(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(".tasktabs a").all_inner_texts()]


def row_titles(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(".tasktable tbody td:first-child a").all_inner_texts()]


def listed_count(page: Page) -> int:
    summary = page.locator(".pagehead .muted").inner_text()
    match = re.search(r"([\d.,]+) nhiệm vụ", summary)
    assert match, summary
    return int(re.sub(r"[.,]", "", match.group(1)))


def cell_count(page: Page, label: str) -> int:
    cell = page.locator(".timing-grid .timing-cell", has_text=label).first
    return int(re.sub(r"[.,]", "", cell.locator(".stat__value").inner_text()))


def test_officer_finds_a_unit_task_by_text_without_accents(browser_page: Page) -> None:
    page = browser_page
    login(page, PERSONAS["officer"])
    open_task_list(page)
    assert "Việc của tôi" in tabs(page) and "Việc của đơn vị" in tabs(page)
    assert "Toàn bộ đơn vị cấp dưới" not in tabs(page)
    page.locator(".tasktabs").get_by_role("link", name="Việc của đơn vị").click()
    page.wait_for_url("**/nhiem-vu/?scope=unit*")
    titles = row_titles(page)
    assert titles, "the demo's finance department has tasks"
    # Type two words of the first title without accents and in capitals: it is still found.
    words = fold_text(titles[0]).split()[:2]
    query = " ".join(words).upper()
    page.get_by_label("Từ khóa").fill(query)
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**text=*")
    found = row_titles(page)
    assert titles[0] in found
    assert all(" ".join(words) in fold_text(title) for title in found)
    page.locator(".tasktable tbody a", has_text=titles[0]).first.click()
    page.wait_for_url(re.compile(r".*/nhiem-vu/\d+/$"))


def test_leader_filters_overdue_pages_and_downloads_the_same_list(
    browser_page: Page, tmp_path: Path
) -> None:
    page = browser_page
    login(page, PERSONAS["leader"])
    open_task_list(page)
    page.locator(".tasktabs").get_by_role("link", name="Toàn bộ đơn vị cấp dưới").click()
    page.wait_for_url("**scope=under*")
    for label in ("Đang thực hiện trong hạn", OVERDUE, "Hoàn thành đúng hạn", "Hoàn thành quá hạn"):
        assert page.locator(".timing-grid", has_text=label).count() == 1
    assert "Tỷ lệ hoàn thành đúng hạn trên số nhiệm vụ đến hạn" in page.inner_text(".rates")
    assert "Tỷ lệ hoàn thành đúng hạn trên tổng số nhiệm vụ" in page.inner_text(".rates")
    overdue = cell_count(page, OVERDUE)
    assert overdue > 0, "the demo story has overdue tasks"

    page.get_by_label("Tình trạng thời hạn", exact=True).select_option(label=OVERDUE)
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**timing=in_progress_overdue*")
    assert listed_count(page) == overdue
    badges = page.locator(".tasktable tbody .timing").all_inner_texts()
    assert badges and all(badge.strip() == OVERDUE for badge in badges)
    shown = row_titles(page)
    if overdue > len(shown):  # more than one page: the next page continues the list
        page.get_by_role("link", name="Trang sau").click()
        page.wait_for_url("**page=2*")
        assert set(row_titles(page)).isdisjoint(shown)
        page.get_by_role("link", name="Trang trước").click()
        page.wait_for_url("**page=1*")

    with page.expect_download() as info:
        page.get_by_role("link", name="Xuất Excel (.xlsx)").click()
    download = info.value
    assert download.suggested_filename.startswith("nhiem-vu-under-")
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    sheet = load_workbook(io.BytesIO(target.read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("Danh sách nhiệm vụ — Toàn bộ đơn vị cấp dưới")
    assert f"Tình trạng: {OVERDUE}" in rows[1][0]
    assert rows[2][:3] == ("STT", "Tên nhiệm vụ", "Văn bản chỉ đạo")
    body = rows[3:]
    assert len(body) == overdue  # every row, not only the page on screen
    assert {r[9] for r in body} == {OVERDUE}
    assert [r[1] for r in body[: len(shown)]] == shown
    page.screenshot(path="/tmp/baro-e2e-task-list.png", full_page=True)


def test_leader_opens_the_counts_page_and_goes_to_a_cell_s_list(browser_page: Page) -> None:
    # The page a big list's grid is loaded from (and opened without JavaScript).
    page = browser_page
    login(page, PERSONAS["leader"])
    open_task_list(page)
    page.locator(".tasktabs").get_by_role("link", name="Toàn bộ đơn vị cấp dưới").click()
    page.wait_for_url("**scope=under*")
    overdue = cell_count(page, OVERDUE)
    page.goto(page.url.replace("/nhiem-vu/?", "/nhiem-vu/so-lieu/?"))
    page.get_by_role("heading", level=1, name="Số liệu nhiệm vụ").wait_for()
    assert cell_count(page, OVERDUE) == overdue
    assert "Tỷ lệ hoàn thành đúng hạn trên tổng số nhiệm vụ" in page.inner_text(".rates")
    page.locator(".timing-grid .timing-cell", has_text=OVERDUE).first.get_by_role("link").click()
    page.wait_for_url("**/nhiem-vu/?*timing=in_progress_overdue*")
    assert listed_count(page) == overdue
    page.get_by_role("heading", level=1, name="Nhiệm vụ").wait_for()
