"""The home page's "Việc cần làm": a leader finds what waits for them and goes straight to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import PASSWORD, PERSONAS, Persona, login

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def test_the_chairman_opens_a_result_waiting_for_approval_from_home(browser_page: Page) -> None:
    page = browser_page
    login(page, PERSONAS["leader"])
    inbox = page.locator("section.inbox")
    inbox.get_by_role("heading", name="Việc cần làm").wait_for()
    waiting = page.locator("#inbox-approve + ul li a").first
    title = waiting.inner_text()
    waiting.click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert "Chờ duyệt kết quả" in page.inner_text("#task-status")


def test_a_ward_chairman_finds_the_directive_to_deploy_and_to_acknowledge(
    browser_page: Page,
) -> None:
    # In the demo, Phường Hoàn Kiếm planned 24-CT/TU on time but never deployed it, and its
    # chairman has not acknowledged it: both wait on his home page.
    page = browser_page
    login(page, Persona("chutich.hoankiem", PASSWORD, "Trang của Người đứng đầu"))
    page.locator("#inbox-acknowledge").wait_for()
    assert "24-CT/TU" in page.inner_text("#inbox-acknowledge + ul")
    receipt = page.locator("#inbox-receipts + ul li a").filter(has_text="24-CT/TU").first
    assert "Phường Hoàn Kiếm" in receipt.inner_text()
    receipt.click()
    page.wait_for_url("**/trien-khai/**")
    assert "24-CT/TU" in page.inner_text("h1")
