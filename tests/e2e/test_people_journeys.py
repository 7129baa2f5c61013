"""Journeys through the people pages and the API token page, in Chromium, in Vietnamese."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from baro.demo.loader import DEMO_ACCOUNTS
from tests.e2e.conftest import HEAD_CANDIDATE_CODE, HEAD_CANDIDATE_NAME, PERSONAS, login

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

NEW_PHONE = "0243 825 6789"
CLERK_NAME = next(
    a for a in DEMO_ACCOUNTS if a.username == PERSONAS["secretariat"].username
).full_name


def test_admin_finds_a_person_and_edits_their_phone(browser_page: Page) -> None:
    page = browser_page
    login(page, PERSONAS["admin"])
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Cán bộ", exact=True
    ).click()
    page.get_by_role("heading", level=1, name="Cán bộ").wait_for()
    page.get_by_label("Tìm cán bộ").fill(HEAD_CANDIDATE_CODE)
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name=HEAD_CANDIDATE_NAME, exact=True).click()

    page.get_by_role("heading", level=1, name=HEAD_CANDIDATE_NAME).wait_for()
    assert HEAD_CANDIDATE_CODE in page.inner_text("#person-facts")
    page.get_by_role("link", name="Sửa thông tin").click()
    page.get_by_label("Điện thoại").fill(NEW_PHONE)
    page.get_by_role("button", name="Lưu thay đổi").click()

    page.get_by_role("heading", level=1, name=HEAD_CANDIDATE_NAME).wait_for()
    assert "Đã lưu thông tin cán bộ." in page.inner_text(".messages")
    assert page.inner_text("#person-phone") == NEW_PHONE
    history = page.inner_text("#history")
    assert "Sửa thông tin cán bộ" in history
    assert "Điện thoại:" in history and NEW_PHONE in history
    page.screenshot(path="/tmp/baro-e2e-person.png", full_page=True)


def test_a_person_issues_an_api_token_and_sees_it_once(browser_page: Page) -> None:
    page = browser_page
    login(page, PERSONAS["secretariat"])
    page.get_by_role("link", name=CLERK_NAME, exact=True).click()  # their name, top right
    page.get_by_role("heading", level=1, name=CLERK_NAME).wait_for()
    page.get_by_role("link", name="Mã truy cập API").click()
    page.get_by_role("heading", level=1, name="Mã truy cập API").wait_for()
    assert "Chưa cấp mã truy cập nào." in page.inner_text("main")
    page.get_by_label("Tên mã truy cập").fill("Đồng bộ phần mềm văn bản")
    page.get_by_role("button", name="Cấp mã").click()

    page.get_by_role("heading", name="Đã cấp mã truy cập “Đồng bộ phần mềm văn bản”").wait_for()
    assert "Hãy sao chép mã này ngay bây giờ." in page.inner_text(".token-once")
    raw = page.get_by_label("Mã truy cập", exact=True).input_value()
    assert raw.startswith("baro_") and len(raw) > 40
    table = page.inner_text("#h-tokens + .table-wrap")
    assert "Đồng bộ phần mềm văn bản" in table and raw[:12] in table and raw not in table
    page.screenshot(path="/tmp/baro-e2e-token.png", full_page=True)

    page.reload()  # a GET: the token list, never the secret again
    page.get_by_role("heading", level=1, name="Mã truy cập API").wait_for()
    assert raw not in page.content()
    assert page.locator(".token-once").count() == 0
