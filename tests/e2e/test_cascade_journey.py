"""The cascade of a directive through the pages, in Chromium, in Vietnamese: the Chairman
registers and sends it, the Finance Department's director issues its plan, its clerk clicks
"Đã quán triệt", and the Chairman's overview shows exactly that."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import PERSONAS, login

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

NUMBER = "777/CT-UBND"
TITLE = "Về siết chặt kỷ luật, kỷ cương hành chính trong giải quyết thủ tục cho người dân"
FINANCE = "Sở Tài chính"
WARD = "Phường Hoàn Kiếm"
TODAY = dt.date.today()


def switch(page: Page, persona: str) -> None:
    """Sign out, then sign in as `persona` in the same tab."""
    page.context.clear_cookies()
    login(page, PERSONAS[persona])


def test_directive_sent_planned_acknowledged_and_seen_by_the_issuer(browser_page: Page) -> None:
    page = browser_page

    # The Chairman registers a directive that asks for a plan and a deployment.
    login(page, PERSONAS["leader"])
    page.goto("/nhiem-vu/van-ban/vao-so/")
    page.get_by_label("Số, ký hiệu").fill(NUMBER)
    page.get_by_label("Loại văn bản").select_option("directive")
    issuer = page.get_by_label("Cơ quan ban hành")
    value = issuer.locator("option", has_text="Ủy ban nhân dân Thành phố Hà Nội").first
    issuer.select_option(value.get_attribute("value"))
    page.get_by_label("Ngày ký").fill(f"{TODAY:%d/%m/%Y}")
    page.get_by_label("Trích yếu").fill(TITLE)
    page.get_by_label(
        "Yêu cầu các đơn vị cụ thể hóa bằng kế hoạch và quán triệt đến từng cán bộ"
    ).check()
    page.get_by_role("button", name=re.compile("Vào sổ")).click()
    page.wait_for_url(re.compile(r"/nhiem-vu/van-ban/\d+/$"))
    directive_id = int(re.search(r"/van-ban/(\d+)/$", page.url).group(1))  # type: ignore[union-attr]

    # …and sends it to the Finance Department and a ward from the cascade's pages.
    page.goto(f"/trien-khai/van-ban/{directive_id}/")
    page.get_by_role("heading", level=1, name=f"Tình hình triển khai văn bản {NUMBER}").wait_for()
    assert "Văn bản chưa được gửi đến đơn vị nào." in page.inner_text("#cascade-empty")
    page.get_by_role("link", name="Gửi đến đơn vị").click()
    page.get_by_role("heading", level=1, name=f"Gửi văn bản {NUMBER} đến đơn vị").wait_for()
    page.get_by_role("button", name="Gửi văn bản").click()
    assert page.inner_text("#field-units .error") == "Chưa chọn đơn vị nhận."
    page.get_by_label(FINANCE, exact=True).check()
    page.get_by_label(WARD, exact=True).check()
    page.get_by_role("button", name="Gửi văn bản").click()
    page.get_by_role("heading", level=1, name=f"Tình hình triển khai văn bản {NUMBER}").wait_for()
    assert f"Đã gửi văn bản {NUMBER} đến 2 đơn vị." in page.inner_text(".messages")
    rows = page.locator("#cascade-units tbody tr")
    assert rows.count() == 2

    # The Finance Department's director finds it in his list and issues the plan.
    switch(page, "head")
    page.goto("/trien-khai/can-quan-triet/")
    page.locator("#to-handle").get_by_role("link", name=NUMBER).click()
    page.get_by_role("heading", level=1, name=f"Văn bản {NUMBER} tại {FINANCE}").wait_for()
    page.get_by_role("link", name="Ban hành kế hoạch").click()
    page.get_by_label("Số, ký hiệu kế hoạch").fill("52/KH-STC")
    page.get_by_label("Trích yếu").fill(f"Thực hiện Chỉ thị số {NUMBER} tại Sở Tài chính")
    page.get_by_role("button", name="Ghi nhận kế hoạch").click()
    assert "Đã ghi nhận kế hoạch thực hiện." in page.inner_text(".messages")
    assert f"Đúng hạn ({TODAY:%d/%m/%Y})" in page.inner_text("#receipt-plan")
    assert "52/KH-STC" in page.inner_text("#receipt-plan")

    # The department's clerk, one of its members, acknowledges in one click.
    switch(page, "secretariat")
    page.goto("/trien-khai/can-quan-triet/")
    item = page.locator(".cascade-pending", has_text=NUMBER)
    item.get_by_role("button", name="Đã quán triệt").click()
    item.get_by_text(re.compile(r"Đã quán triệt lúc \d\d:\d\d")).wait_for()
    page.reload()
    assert page.locator(".cascade-pending", has_text=NUMBER).count() == 0

    # The Chairman's overview shows the plan on time, the clerk counted, the others missing.
    switch(page, "leader")
    page.goto(f"/trien-khai/van-ban/{directive_id}/")
    finance = page.locator("#cascade-units tbody tr", has_text=FINANCE)
    assert f"Đúng hạn ({TODAY:%d/%m/%Y})" in finance.locator(".cascade-plan").inner_text()
    assert "52/KH-STC" in finance.locator(".cascade-plan").inner_text()
    assert finance.locator(".cascade-ack").inner_text().startswith("1/")
    missing = finance.locator(".cascade-missing").inner_text()
    assert "Phạm Thị Ngọc Lan" not in missing  # the clerk
    assert "Nguyễn Hữu Khải" in missing  # the director has not acknowledged yet
    ward = page.locator("#cascade-units tbody tr", has_text=WARD)
    assert re.match(r"Chưa ban hành, còn \d+ ngày", ward.locator(".cascade-plan").inner_text())

    page.get_by_role("link", name="Chưa ban hành kế hoạch").click()
    page.wait_for_url(re.compile(r"loc=chua-ke-hoach"))
    assert page.locator("#cascade-units tbody tr").count() == 1
    assert WARD in page.inner_text("#cascade-units")
    page.screenshot(path="/tmp/baro-e2e-cascade.png", full_page=True)
