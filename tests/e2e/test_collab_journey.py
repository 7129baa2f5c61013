"""The task page's collaboration panels, in Chromium: the lead asks its coordinator for input and
the city for guidance, attaches files (a disallowed one is refused), splits off a subtask; the
chairman answers both, marking the question as within the department's own authority; the lead
marks the coordinator's answer as unclear.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import PERSONAS, login
from tests.e2e.test_task_journeys import HOME_AFFAIRS, assign_to_finance, switch_to

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_inputs_guidance_attachments_and_subtasks(browser_page: Page, tmp_path: Path) -> None:
    page = browser_page
    title = f"Xây dựng phương án sắp xếp trụ sở {time.time_ns()}"
    login(page, PERSONAS["leader"])
    task_url = assign_to_finance(page, title, officer=True)

    switch_to(page, PERSONAS["head"])
    page.goto(task_url)
    page.locator("#task-actions").get_by_role("link", name="Tiếp nhận").click()
    page.get_by_role("button", name="Xác nhận tiếp nhận").click()
    page.get_by_role("heading", level=1, name=title).wait_for()

    # Ask the coordinator (Sở Nội vụ) for its input.
    inputs = page.locator("#panel-inputs")
    inputs.locator("summary", has_text="Xin ý kiến đơn vị phối hợp").click()
    page.locator("#input-question").fill("Đề nghị Sở Nội vụ cho ý kiến về biên chế")
    inputs.get_by_role("button", name="Gửi xin ý kiến").click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert f"Đã gửi xin ý kiến {HOME_AFFAIRS}." in page.inner_text(".messages")
    assert "Đang chờ trả lời." in page.inner_text("#panel-inputs")

    # Ask the city for guidance.
    guidance = page.locator("#panel-guidance")
    guidance.locator("summary", has_text="Xin ý kiến chỉ đạo").click()
    page.locator("#guidance-question").fill("Có cần trình Thường trực Thành ủy không?")
    guidance.get_by_role("button", name="Gửi xin ý kiến chỉ đạo").click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert "Đang chờ ý kiến chỉ đạo." in page.inner_text("#panel-guidance")

    # A disallowed file is refused with the reason; a PDF is accepted and downloads again.
    bad = tmp_path / "cai-dat.exe"
    bad.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    page.locator("#attachment-file").set_input_files(str(bad))
    page.locator("#panel-attachments").get_by_role("button", name="Tải lên").click()
    page.get_by_role("heading", level=1, name="Đính kèm tệp").wait_for()
    assert "Không nhận tệp “cai-dat.exe”" in page.inner_text("#field-file")
    page.goto(task_url)
    assert "Chưa có tệp đính kèm." in page.inner_text("#panel-attachments")
    good = tmp_path / "Phương án.pdf"
    good.write_bytes(PDF)
    page.locator("#attachment-file").set_input_files(str(good))
    page.locator("#panel-attachments").get_by_role("button", name="Tải lên").click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert "Đã đính kèm tệp “Phương án.pdf”." in page.inner_text(".messages")
    with page.expect_download() as download_info:
        page.locator("#panel-attachments").get_by_role("link", name="Phương án.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "Phương án.pdf"
    assert Path(download.path()).read_bytes() == PDF

    # Split off a subtask for a division of the department.
    subtasks = page.locator("#panel-subtasks")
    subtasks.locator("summary", has_text="Giao nhiệm vụ con").click()
    page.locator("#subtask-title").fill("Thống kê trụ sở các phòng")
    subtasks.get_by_role("button", name="Giao nhiệm vụ con").click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    rollup = page.inner_text("#subtask-rollup")
    assert "1" in rollup and "nhiệm vụ con" in rollup
    assert "Thống kê trụ sở các phòng" in page.inner_text("#panel-subtasks")

    # The chairman answers the coordinator's request (above Sở Nội vụ) and the guidance.
    switch_to(page, PERSONAS["leader"])
    page.goto(task_url)
    inputs = page.locator("#panel-inputs")
    inputs.get_by_label("Đồng ý, có ý kiến bổ sung, sửa đổi").check()
    inputs.get_by_label("Nội dung trả lời").fill("Cơ bản thống nhất, bổ sung số liệu 2025")
    inputs.get_by_role("button", name="Gửi ý kiến").click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert "Cơ bản thống nhất, bổ sung số liệu 2025" in page.inner_text("#panel-inputs")
    guidance = page.locator("#panel-guidance")
    guidance.get_by_label("Ý kiến chỉ đạo", exact=True).fill(
        "Sở Tài chính tự quyết định, báo cáo kết quả"
    )
    guidance.get_by_label("Nội dung thuộc thẩm quyền của đơn vị").check()
    guidance.get_by_role("button", name="Trả lời").click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert "Thuộc thẩm quyền của đơn vị" in page.inner_text("#panel-guidance")

    # The lead finds the coordinator's answer unclear.
    switch_to(page, PERSONAS["head"])
    page.goto(task_url)
    inputs = page.locator("#panel-inputs")
    inputs.locator("summary", has_text="Đánh dấu ý kiến chưa rõ quan điểm").click()
    inputs.get_by_label("Nhận xét: vì sao ý kiến chưa rõ").fill("Không nêu số liệu nào")
    inputs.get_by_role("button", name="Ghi nhận chưa rõ quan điểm").click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert "ý kiến chưa rõ quan điểm" in page.inner_text("#panel-inputs")
    history = page.inner_text("#history")
    page.screenshot(path="/tmp/baro-e2e-collab.png", full_page=True)
    assert "Giao nhiệm vụ" in history
