"""The assignment lines page (/nhiem-vu/tuyen-giao/), in Chromium, in Vietnamese: the admin
changes a line after confirming before → after, sees it applied and in the history; a leader
reads the lines from the assign form but is offered no change."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import PERSONAS, login

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.e2e

# A line that changes nothing the other journeys do: no socio-political organisation of the
# demo city has a government body below it.
CELL = "#line-socio_political-government"
PAIR = "Tổ chức chính trị - xã hội → Cơ quan nhà nước"
NOTE = "Thí điểm theo quyết định của Thành ủy"


def nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Điều hướng chính")


def set_line(page: Page, reach: str, note: str) -> None:
    page.locator(CELL).get_by_role("link", name=f"Sửa tuyến {PAIR}").click()
    page.get_by_role("heading", level=1, name=f"Điều chỉnh tuyến {PAIR}").wait_for()
    page.get_by_label("Phạm vi giao chủ trì").select_option(label=reach)
    page.get_by_label("Căn cứ, ghi chú").fill(note)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("heading", level=1, name=f"Xác nhận điều chỉnh tuyến {PAIR}").wait_for()


def test_the_admin_changes_a_line_after_confirming_it(browser_page: Page) -> None:
    page = browser_page
    login(page, PERSONAS["admin"])
    nav(page).get_by_role("link", name="Tuyến giao nhiệm vụ").click()
    page.get_by_role("heading", level=1, name="Tuyến giao nhiệm vụ").wait_for()
    assert page.inner_text(CELL).startswith("Không được giao chủ trì")

    set_line(page, "Đơn vị cấp dưới", NOTE)
    change = page.inner_text("#line-change")
    assert "Không được giao chủ trì" in change and "Đơn vị cấp dưới" in change and NOTE in change
    # Back to the form, values kept; then confirm.
    page.get_by_role("button", name="Sửa lại").click()
    assert page.get_by_label("Căn cứ, ghi chú").input_value() == NOTE
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Xác nhận điều chỉnh").click()

    page.get_by_role("heading", level=1, name="Tuyến giao nhiệm vụ").wait_for()
    assert f"Đã điều chỉnh tuyến {PAIR}: Đơn vị cấp dưới." in page.inner_text(".messages")
    cell = page.inner_text(CELL)
    assert cell.startswith("Đơn vị cấp dưới") and NOTE in cell
    history = page.inner_text("#history")
    assert "Điều chỉnh tuyến giao nhiệm vụ" in history and "Trịnh Minh Khoa" in history
    assert f"{PAIR}, phạm vi: Không được giao chủ trì → Đơn vị cấp dưới" in history
    page.screenshot(path="/tmp/baro-e2e-lines.png", full_page=True)

    # Put the line back as it was (the demo city is shared by the journeys).
    set_line(page, "Không được giao chủ trì", "")
    page.get_by_role("button", name="Xác nhận điều chỉnh").click()
    page.get_by_role("heading", level=1, name="Tuyến giao nhiệm vụ").wait_for()
    assert page.inner_text(CELL).startswith("Không được giao chủ trì")


def test_a_leader_reads_the_lines_from_the_assign_form_but_may_not_change_them(
    browser_page: Page,
) -> None:
    page = browser_page
    login(page, PERSONAS["leader"])
    assert nav(page).get_by_role("link", name="Tuyến giao nhiệm vụ").count() == 0
    page.goto("/nhiem-vu/giao/")
    page.get_by_role("link", name="Xem tuyến giao nhiệm vụ").click()
    page.get_by_role("heading", level=1, name="Tuyến giao nhiệm vụ").wait_for()
    assert "Cơ quan nhà nước chỉ đạo cơ quan nhà nước cấp dưới." in page.inner_text("#lines")
    assert page.get_by_role("link", name="Sửa").count() == 0
    response = page.goto("/nhiem-vu/tuyen-giao/government/party/")
    assert response is not None and response.status == 403
    page.get_by_role("heading", level=1, name="Không có quyền thực hiện").wait_for()
