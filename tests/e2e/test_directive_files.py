"""A department's clerk files the scanned plan on its directive page; a reader downloads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import PERSONAS, login

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_the_clerk_attaches_the_scanned_plan_and_the_officer_downloads_it(
    browser_page: Page,
) -> None:
    page = browser_page
    login(page, PERSONAS["secretariat"])  # vanthu.stc, who registered 45/KH-STC in the demo
    page.get_by_role("link", name="Văn bản", exact=True).click()
    page.get_by_role("link", name="45/KH-STC").click()
    page.get_by_role("link", name="Đính kèm tệp").click()
    # A file Baro does not take: the reason is next to the field.
    page.get_by_label("Tệp đính kèm").set_input_files(
        {"name": "ke-hoach.exe", "mimeType": "application/octet-stream", "buffer": b"MZ.."}
    )
    page.get_by_role("button", name="Tải lên").click()
    assert "Không nhận tệp" in page.inner_text("#field-file")
    page.get_by_label("Tệp đính kèm").set_input_files(
        {"name": "Kế hoạch 45-KH-STC (bản chụp).pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Tải lên").click()
    files = page.locator("#files")
    files.get_by_role("link", name="Kế hoạch 45-KH-STC (bản chụp).pdf").wait_for()

    page.get_by_role("button", name="Đăng xuất").click()
    login(page, PERSONAS["officer"])
    page.get_by_role("link", name="Văn bản", exact=True).click()
    page.get_by_role("link", name="45/KH-STC").click()
    with page.expect_download() as download:
        page.locator("#files").get_by_role("link", name="Kế hoạch 45-KH-STC (bản chụp).pdf").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == PDF
