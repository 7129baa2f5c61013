"""Task lists as .xlsx workbooks (openpyxl), the same rows the list page shows.

The workbook opens with a title row, a row saying which filters were applied and when it was
exported, then the Vietnamese column headers and one row per task, in the list's order. Dates
are real date cells shown dd/mm/yyyy (so Excel still sorts them); the timing status is its
official label. A list longer than EXPORT_ROW_LIMIT rows is cut there, and the second row says
so: an export of that size is a report to produce by other means, not a spreadsheet to open.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from baro.work.models import Task
from baro.work.rules import TimingStatus

__all__ = ["COLUMNS", "DATE_FORMAT", "EXPORT_ROW_LIMIT", "ExportResult", "tasks_workbook"]

EXPORT_ROW_LIMIT = 50_000
DATE_FORMAT = "DD/MM/YYYY"
# Rows read from the database per round trip (the list is iterated, never loaded whole).
CHUNK_SIZE = 2_000

# (header, column width in characters)
COLUMNS: list[tuple[str, int]] = [
    ("STT", 6),
    ("Tên nhiệm vụ", 50),
    ("Văn bản chỉ đạo", 16),
    ("Đơn vị chủ trì", 30),
    ("Cán bộ xử lý", 24),
    ("Ngày giao", 12),
    ("Hạn xử lý", 12),
    ("Ngày hoàn thành", 14),
    ("Trạng thái", 20),
    ("Tình trạng thời hạn", 26),
    ("Chưa cập nhật tiến độ", 12),
    ("Tiến độ (%)", 10),
    ("Số lần gia hạn", 10),
]
HEADER_ROW = 3  # title, description, then the headers


@dataclass(frozen=True)
class ExportResult:
    content: bytes
    rows: int
    total: int

    @property
    def truncated(self) -> bool:
        return self.rows < self.total


def _dated(ws: Worksheet, value: dt.date | None) -> WriteOnlyCell | str:
    if value is None:
        return ""
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def _rows(ws: Worksheet, qs: QuerySet[Task], limit: int) -> Iterator[list[object]]:
    for number, task in enumerate(qs[:limit].iterator(chunk_size=CHUNK_SIZE), start=1):
        yield [
            number,
            task.title,
            task.directive.number_symbol if task.directive else "",
            task.lead_unit.name,
            task.officer.full_name if task.officer else "",
            _dated(ws, task.assigned_on),
            _dated(ws, task.deadline),
            _dated(ws, task.completed_on),
            str(task.get_status_display()),
            str(TimingStatus(task.timing).label),  # type: ignore[attr-defined]
            "Có" if task.is_not_updated else "",  # type: ignore[attr-defined]
            task.percent,
            task.extension_count,
        ]


def tasks_workbook(
    qs: QuerySet[Task],
    *,
    title: str,
    description: str,
    exported_at: dt.datetime | None = None,
    limit: int = EXPORT_ROW_LIMIT,
) -> ExportResult:
    """Write the rows of `qs` (a queries.lists.task_list queryset: it carries `timing` and
    `is_not_updated`) to an .xlsx workbook, at most `limit` of them."""
    exported_at = timezone.localtime(exported_at or timezone.now())
    total = qs.count()
    shown = min(total, limit)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("Nhiệm vụ")
    for index, (_, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"

    heading = WriteOnlyCell(ws, value=title)
    heading.font = Font(bold=True, size=14)
    ws.append([heading])
    note = f"{description}. Xuất lúc {exported_at:%H:%M ngày %d/%m/%Y}; {total} nhiệm vụ."
    if shown < total:
        note += (
            f" Chỉ xuất {shown} dòng đầu (giới hạn {limit} dòng mỗi tệp): "
            "hãy lọc thêm để xuất phần còn lại."
        )
    ws.append([WriteOnlyCell(ws, value=note)])
    headers = []
    for header, _ in COLUMNS:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        headers.append(cell)
    ws.append(headers)
    written = 0
    for values in _rows(ws, qs, shown):
        ws.append(values)
        written += 1

    buffer = io.BytesIO()
    workbook.save(buffer)
    return ExportResult(content=buffer.getvalue(), rows=written, total=total)
