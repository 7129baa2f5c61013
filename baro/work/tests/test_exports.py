"""The .xlsx export of task lists, opened with openpyxl and read back."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from baro.org.models import Person
from baro.testing.work import WorkWorld, row
from baro.work.exports import COLUMNS, DATE_FORMAT, tasks_workbook
from baro.work.models import TaskStatus
from baro.work.queries.lists import Scope, task_list

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def three(ww: WorkWorld) -> None:
    row(ww, title="Đề án chuyển đổi số", deadline=dt.date(2026, 1, 31))
    row(
        ww,
        title="Báo cáo quý IV",
        officer=ww.w.officer,
        assigned_on=dt.date(2026, 11, 20),
        deadline=dt.date(2026, 12, 31),
    )
    row(
        ww,
        title="Rà soát thủ tục",
        status=TaskStatus.COMPLETED,
        deadline=dt.date(2026, 2, 28),
        completed_on=dt.date(2026, 3, 5),
    )


def test_export_has_title_filters_headers_and_every_row_in_list_order(
    ww: WorkWorld, three: None, settings: Any
) -> None:
    settings.BARO_PAGE_SIZE = 5  # the export is not limited to one page
    for number in range(6):
        row(ww, title=f"Việc {number}", deadline=dt.date(2027, 1, 10 + number))
    response = client_for(ww.w.head).get(reverse("work:task_export"), {"scope": "under"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="nhiem-vu-under-' in response["Content-Disposition"]
    rows = sheet_rows(response.content)
    assert rows[0][0] == f"Danh sách nhiệm vụ — Toàn bộ đơn vị cấp dưới — {ww.w.head.full_name}"
    assert rows[1][0].startswith("Điều kiện lọc: Không lọc. Xuất lúc ")
    assert rows[1][0].endswith("; 9 nhiệm vụ.")
    assert list(rows[2]) == [header for header, _ in COLUMNS]
    body = rows[3:]
    assert len(body) == 9
    assert [r[0] for r in body] == list(range(1, 10))
    assert [r[1] for r in body[:3]] == ["Đề án chuyển đổi số", "Rà soát thủ tục", "Báo cáo quý IV"]
    overdue, late, on_time = body[:3]
    assert overdue[9] == "Đang thực hiện quá hạn" and overdue[10] == "Có"
    assert late[9] == "Hoàn thành quá hạn" and late[8] == "Hoàn thành"
    assert on_time[9] == "Đang thực hiện trong hạn" and on_time[4] == ww.w.officer.full_name
    assert late[6] == dt.datetime(2026, 2, 28) and late[7] == dt.datetime(2026, 3, 5)


def test_dates_are_shown_day_month_year(ww: WorkWorld, three: None) -> None:
    result = tasks_workbook(task_list(ww.w.head, scope=Scope.UNDER), title="T", description="D")
    sheet = load_workbook(io.BytesIO(result.content)).active
    assert sheet.cell(row=4, column=7).number_format == DATE_FORMAT
    assert sheet.cell(row=4, column=6).number_format == DATE_FORMAT


def test_export_applies_the_same_filters_and_describes_them(ww: WorkWorld, three: None) -> None:
    response = client_for(ww.w.head).get(
        reverse("work:task_export"),
        {"scope": "under", "timing": "in_progress_overdue", "q": "chuyen doi"},
    )
    rows = sheet_rows(response.content)
    assert "Tình trạng: Đang thực hiện quá hạn; Từ khóa: “chuyen doi”" in rows[1][0]
    assert [r[1] for r in rows[3:]] == ["Đề án chuyển đổi số"]


def test_export_is_scoped_to_the_person(ww: WorkWorld, three: None) -> None:
    response = client_for(ww.w.officer).get(reverse("work:task_export"), {"scope": "under"})
    rows = sheet_rows(response.content)
    assert [r[1] for r in rows[3:]] == ["Báo cáo quý IV"]  # "under" is not theirs: own tasks


def test_a_bad_filter_is_refused_with_its_message(ww: WorkWorld) -> None:
    response = client_for(ww.w.head).get(reverse("work:task_export"), {"timing": "late"})
    assert response.status_code == 400
    assert "Tình trạng thời hạn “late” không hợp lệ." in response.content.decode()


def test_filters_no_row_could_match_are_refused_not_a_server_error(ww: WorkWorld) -> None:
    # A NUL cannot go into a spreadsheet cell (nor PostgreSQL); an id past 64 bits names no row.
    client = client_for(ww.w.head)
    for params, message in [
        ({"q": "Sở\x00"}, "Từ khóa chứa ký tự không hợp lệ."),
        ({"officer": str(2**63)}, f"Cán bộ không hợp lệ: “{2**63}”."),
    ]:
        response = client.get(reverse("work:task_export"), params)
        assert response.status_code == 400, params
        assert message in response.content.decode()


def test_a_list_over_the_limit_is_cut_and_says_so(ww: WorkWorld, three: None) -> None:
    result = tasks_workbook(
        task_list(ww.w.head, scope=Scope.UNDER), title="T", description="D", limit=2
    )
    assert (result.rows, result.total, result.truncated) == (2, 3, True)
    rows = sheet_rows(result.content)
    assert "Chỉ xuất 2 dòng đầu (giới hạn 2 dòng mỗi tệp)" in rows[1][0]
    assert len(rows) == 3 + 2
