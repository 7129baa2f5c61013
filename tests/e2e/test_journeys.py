"""A few journeys through real pages in Chromium, in Vietnamese."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import (
    DEPARTMENT_CODE,
    DEPARTMENT_NAME,
    HEAD_CANDIDATE_CODE,
    HEAD_CANDIDATE_NAME,
    PERSONAS,
    login,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def open_department(page: Page) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Cơ cấu tổ chức"
    ).click()
    page.get_by_label("Tìm đơn vị").fill(DEPARTMENT_CODE)
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name=DEPARTMENT_NAME, exact=True).click()
    page.get_by_role("heading", level=1, name=DEPARTMENT_NAME).wait_for()


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_each_persona_lands_on_their_own_home_page(browser_page: Page, persona: str) -> None:
    login(browser_page, PERSONAS[persona])
    heading = browser_page.get_by_role("heading", level=1)
    assert heading.inner_text() == PERSONAS[persona].home_heading
    # The shell names who is signed in and offers a logout that works.
    browser_page.get_by_role("button", name="Đăng xuất").click()
    browser_page.get_by_role("heading", level=1, name="Đăng nhập").wait_for()


def test_a_wrong_password_is_refused_in_vietnamese(browser_page: Page) -> None:
    browser_page.goto("/dang-nhap/")
    browser_page.get_by_label("Tên đăng nhập").fill("admin")
    browser_page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    browser_page.get_by_role("button", name="Đăng nhập").click()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in browser_page.inner_text(".form-errors")


def test_admin_adds_a_unit_and_appoints_its_head(browser_page: Page) -> None:
    page = browser_page
    login(page, PERSONAS["admin"])
    open_department(page)
    page.get_by_role("link", name="Thêm đơn vị trực thuộc").click()
    page.get_by_label("Mã đơn vị").fill("SNV-PTCBM")
    page.get_by_label("Tên đơn vị").fill("Phòng Tổ chức bộ máy")
    page.get_by_label("Loại đơn vị").select_option("division")
    page.get_by_label("Chức năng, nhiệm vụ").fill("Tham mưu sắp xếp tổ chức bộ máy.")
    page.get_by_role("button", name="Thêm đơn vị").click()

    page.get_by_role("heading", level=1, name="Phòng Tổ chức bộ máy").wait_for()
    assert "Đã thêm đơn vị Phòng Tổ chức bộ máy." in page.inner_text(".messages")
    assert page.inner_text("#unit-head") == "Khuyết người đứng đầu"

    page.get_by_role("link", name="Bổ nhiệm người đứng đầu").click()
    page.get_by_label("Người đứng đầu mới").fill(HEAD_CANDIDATE_CODE)
    page.get_by_label("Chức danh").fill("Trưởng phòng")
    page.get_by_role("button", name="Bổ nhiệm").click()

    page.get_by_role("heading", level=1, name="Phòng Tổ chức bộ máy").wait_for()
    assert HEAD_CANDIDATE_NAME in page.inner_text("#unit-head")
    history = page.inner_text("#history")
    assert "Thêm đơn vị" in history
    assert "Bổ nhiệm, thay người đứng đầu" in history
    page.screenshot(path="/tmp/baro-e2e-unit.png", full_page=True)


def test_a_duplicate_unit_code_is_shown_next_to_the_field(browser_page: Page) -> None:
    page = browser_page
    login(page, PERSONAS["admin"])
    open_department(page)
    page.get_by_role("link", name="Thêm đơn vị trực thuộc").click()
    page.get_by_label("Mã đơn vị").fill(DEPARTMENT_CODE)
    page.get_by_label("Tên đơn vị").fill("Đơn vị trùng mã")
    page.get_by_label("Loại đơn vị").select_option("division")
    page.get_by_role("button", name="Thêm đơn vị").click()

    error = page.locator("#field-code .error")
    assert error.inner_text() == f"Mã đơn vị “{DEPARTMENT_CODE}” đã được dùng."
    page.screenshot(path="/tmp/baro-e2e-form-error.png", full_page=True)
    # Nothing was created.
    page.goto("/to-chuc/?q=tr%C3%B9ng+m%C3%A3")
    assert "Không có đơn vị nào khớp điều kiện lọc." in page.inner_text("table")


def test_the_inspector_checks_the_ledger(browser_page: Page) -> None:
    page = browser_page
    login(page, PERSONAS["inspector"])
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Sổ cái"
    ).click()
    page.get_by_role("heading", level=1, name="Sổ cái").wait_for()
    assert page.locator("#events tbody tr").count() > 0
    page.get_by_role("button", name="Kiểm tra toàn vẹn").click()
    verdict = page.locator("#verdict-result")
    verdict.wait_for()
    assert re.search(r"Toàn vẹn đến sự kiện số \d+", verdict.inner_text())
    assert "sự kiện sau điểm chốt cuối" in page.locator("#unsigned-events").inner_text()
    page.screenshot(path="/tmp/baro-e2e-ledger.png", full_page=True)
    # The filter offers actions and object kinds by their Vietnamese labels.
    page.get_by_label("Hành động").select_option(label="Giao nhiệm vụ")
    page.get_by_label("Loại đối tượng").select_option(label="Nhiệm vụ")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r"action=work\.task\.assigned"))
    rows = page.locator("#events tbody tr")
    assert rows.count() > 0
    first = rows.first.inner_text()
    assert "Giao nhiệm vụ" in first
    assert re.search(r"Nhiệm vụ #\d+ — \S", first), first
    page.screenshot(path="/tmp/baro-e2e-ledger-filtered.png", full_page=True)
    # A reloaded or bookmarked check comes back to the ledger page.
    page.goto("/so-cai/kiem-tra/")
    page.get_by_role("heading", level=1, name="Sổ cái").wait_for()


def test_an_officer_is_refused_the_ledger_in_vietnamese(browser_page: Page) -> None:
    login(browser_page, PERSONAS["officer"])
    browser_page.goto("/so-cai/")
    assert "Không có quyền thực hiện" in browser_page.inner_text("h1")
