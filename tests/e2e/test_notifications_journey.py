"""The notification pages in Chromium, in Vietnamese: the bell, the list, and the
administrator's webhook pages (register, the secret shown once, disable after confirming).

No page of the demo city makes a notification yet (the areas that will call
baro.notify.services.notify() are wired separately), and this process cannot reach the
server's database, so the bell is checked at its honest value for a fresh account, zero,
and the list's empty state; the counting and marking read are covered by
baro/notify/tests/test_views.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import PERSONAS, login

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

HOOK_URL = "http://127.0.0.1:9/he-thong-nhan/baro"
HOOK_NOTE = "Cổng thông tin điện tử thành phố (thử nghiệm)"


def test_admin_follows_the_bell_and_registers_then_disables_a_webhook(
    browser_page: Page,
) -> None:
    page = browser_page
    login(page, PERSONAS["admin"])

    # The bell in the top bar: nothing unread for this account.
    bell = page.locator("#notify-bell")
    assert bell.get_attribute("aria-label") == "Thông báo: không có thông báo chưa đọc"
    assert bell.locator(".badge").inner_text() == "0"
    bell.click()
    page.get_by_role("heading", level=1, name="Thông báo").wait_for()
    assert "Anh/chị đã đọc hết thông báo." in page.inner_text("main")
    assert "Chưa có thông báo nào." in page.inner_text("main")

    # Administration: a bad address is refused next to its field, nothing registered.
    page.get_by_role("link", name="Quản trị thông báo").click()
    page.get_by_role("heading", name="Các điểm nhận").wait_for()
    assert "Chưa có điểm nhận webhook nào." in page.inner_text("#endpoints")
    page.get_by_label("Địa chỉ nhận (URL)").fill("ftp://he-thong-nhan/baro")
    page.get_by_role("button", name="Đăng ký").click()
    error = page.locator("#field-url .error")
    error.wait_for()
    assert "phải bắt đầu bằng http:// hoặc https://" in error.inner_text()
    assert "Chưa có điểm nhận webhook nào." in page.inner_text("#endpoints")

    # Registered: the generated secret is shown once.
    page.get_by_label("Địa chỉ nhận (URL)").fill(HOOK_URL)
    page.get_by_label("Mô tả").fill(HOOK_NOTE)
    page.get_by_role("button", name="Đăng ký").click()
    page.get_by_role("heading", name=f"Đã đăng ký điểm nhận {HOOK_URL}").wait_for()
    assert "Hãy sao chép khóa ký này ngay bây giờ." in page.inner_text(".token-once")
    secret = page.get_by_label("Khóa ký", exact=True).first.input_value()
    assert len(secret) >= 40
    row = page.locator("#endpoints tbody tr", has_text=HOOK_URL)
    assert HOOK_NOTE in row.inner_text() and "đang dùng" in row.inner_text()
    page.screenshot(path="/tmp/baro-e2e-webhook.png", full_page=True)
    page.reload()  # a GET: the list, never the secret again
    page.get_by_role("heading", name="Các điểm nhận").wait_for()
    assert secret not in page.content()
    assert page.locator(".token-once").count() == 0

    # Disabled after a confirmation step.
    page.locator("#endpoints tbody tr", has_text=HOOK_URL).get_by_role("link", name="Tắt").click()
    page.get_by_role("heading", level=1, name="Xác nhận tắt điểm nhận webhook").wait_for()
    assert HOOK_URL in page.inner_text("main")
    page.get_by_role("button", name="Xác nhận tắt").click()
    page.get_by_role("heading", name="Các điểm nhận").wait_for()
    assert f"Đã tắt điểm nhận {HOOK_URL}." in page.inner_text(".messages")
    row = page.locator("#endpoints tbody tr", has_text=HOOK_URL)
    assert "đã tắt" in row.inner_text()
    assert row.get_by_role("link", name="Tắt").count() == 0

    # The outbox tab: nothing was ever due for it.
    page.get_by_role("link", name="Lượt gửi").click()
    page.get_by_role("heading", level=1, name="Quản trị thông báo").wait_for()
    assert "Không có lượt gửi nào." in page.inner_text("#deliveries")
