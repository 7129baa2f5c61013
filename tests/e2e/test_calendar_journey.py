"""Journeys through the working-day calendar (/lich-lam-viec/), in Chromium, in Vietnamese."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import PERSONAS, login

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.e2e

THIS_YEAR = dt.date.today().year
# The first Saturday from 10 October: October has no public holiday and no swapped day.
SATURDAY = next(
    day
    for day in (dt.date(THIS_YEAR, 10, 10) + dt.timedelta(days=n) for n in range(7))
    if day.weekday() == 5
)
FRIDAY = SATURDAY - dt.timedelta(days=1)
MONDAY = SATURDAY + dt.timedelta(days=2)
REASON = f"Làm bù cho ngày {MONDAY:%d/%m/%Y} theo kế hoạch của Thành phố"


def nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Điều hướng chính")


def check_deadline(page: Page, start: dt.date, days: int) -> str:
    form = page.locator("#tinh-han")
    form.get_by_label("Kể từ ngày").fill(f"{start:%d/%m/%Y}")
    form.get_by_label("Số ngày làm việc").fill(str(days))
    form.get_by_role("button", name="Tính hạn").click()
    return page.inner_text("#deadline-result")


def test_admin_adds_a_working_saturday_then_removes_it_after_confirming(
    browser_page: Page,
) -> None:
    page = browser_page
    login(page, PERSONAS["admin"])
    nav(page).get_by_role("link", name="Lịch làm việc").click()
    page.get_by_role("heading", level=1, name=f"Lịch làm việc năm {THIS_YEAR}").wait_for()
    assert "Quốc khánh" in page.inner_text("#calendar-days")
    assert f"hạn là Thứ Hai {MONDAY:%d/%m/%Y}" in check_deadline(page, FRIDAY, 1)

    page.get_by_role("link", name="Thêm ngày làm việc bù").click()
    page.get_by_role("heading", level=1, name="Thêm ngày làm việc bù").wait_for()
    page.get_by_label("Ngày").fill(f"{MONDAY:%d/%m/%Y}")
    page.get_by_label("Lý do").fill(REASON)
    page.get_by_role("button", name="Thêm ngày làm việc bù").click()
    error = page.inner_text("#field-day .error")
    assert error == (
        f"Ngày Thứ Hai {MONDAY:%d/%m/%Y} đã là ngày làm việc; không cần đặt làm ngày làm việc bù."
    )

    page.get_by_label("Ngày").fill(f"{SATURDAY:%d/%m/%Y}")
    page.get_by_label("Căn cứ (văn bản)").fill("Thông báo số 123/TB-UBND")
    page.get_by_role("button", name="Thêm ngày làm việc bù").click()

    page.get_by_role("heading", level=1, name=f"Lịch làm việc năm {THIS_YEAR}").wait_for()
    assert f"Đã thêm ngày làm việc bù Thứ Bảy {SATURDAY:%d/%m/%Y}." in page.inner_text(".messages")
    row = page.locator(f"#day-{SATURDAY:%Y-%m-%d}")
    text = row.inner_text()
    assert f"{SATURDAY:%d/%m/%Y}" in text and REASON in text
    assert "Điều chỉnh của quản trị viên" in text and "Thông báo số 123/TB-UBND" in text
    # The server's calendar follows at once: one working day after Friday is now Saturday.
    assert f"hạn là Thứ Bảy {SATURDAY:%d/%m/%Y}" in check_deadline(page, FRIDAY, 1)
    page.screenshot(path="/tmp/baro-e2e-calendar.png", full_page=True)

    page.locator(f"#day-{SATURDAY:%Y-%m-%d}").get_by_role("link", name="Gỡ bỏ").click()
    page.get_by_role("heading", level=1, name="Gỡ bỏ điều chỉnh lịch làm việc").wait_for()
    assert REASON in page.inner_text(".facts")
    page.get_by_role("button", name="Xác nhận gỡ bỏ").click()
    assert page.inner_text("#field-reason .error") == "Chưa nhập lý do gỡ bỏ."
    page.get_by_label("Lý do gỡ bỏ").fill("Thành phố hủy kế hoạch làm bù")
    page.get_by_role("button", name="Xác nhận gỡ bỏ").click()

    page.get_by_role("heading", level=1, name=f"Lịch làm việc năm {THIS_YEAR}").wait_for()
    assert "Đã gỡ bỏ điều chỉnh ngày" in page.inner_text(".messages")
    assert page.locator(f"#day-{SATURDAY:%Y-%m-%d}").count() == 0
    history = page.inner_text("#history")
    assert REASON in history and "đã gỡ bỏ" in history
    assert "Thành phố hủy kế hoạch làm bù" in history
    assert f"hạn là Thứ Hai {MONDAY:%d/%m/%Y}" in check_deadline(page, FRIDAY, 1)


def test_an_officer_reads_the_calendar_but_may_not_change_it(browser_page: Page) -> None:
    page = browser_page
    login(page, PERSONAS["officer"])
    assert nav(page).get_by_role("link", name="Lịch làm việc").count() == 0
    page.goto("/lich-lam-viec/")
    page.get_by_role("heading", level=1, name=f"Lịch làm việc năm {THIS_YEAR}").wait_for()
    assert page.get_by_role("link", name="Thêm ngày nghỉ").count() == 0
    response = page.goto("/lich-lam-viec/them-ngay-nghi/")
    assert response is not None and response.status == 403
    page.get_by_role("heading", level=1, name="Không có quyền thực hiện").wait_for()
    assert "Quản lý lịch làm việc" in page.inner_text("main")
