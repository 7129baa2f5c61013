"""The urging letter (công văn đôn đốc) as .docx and .pdf: read back with python-docx and pypdf.

No database: baro.oversight.letters is rendering only. The PDF text is checked in the order
WeasyPrint draws it (cell after cell along a table row), with whitespace squeezed out where a
line may wrap.
"""

from __future__ import annotations

import datetime as dt
import importlib.abc
import io
import sys
from dataclasses import replace

import docx
import pypdf
import pytest
from docx.shared import Pt

from baro.oversight import letters
from baro.oversight.letters import (
    LetterContent,
    LetterTask,
    LetterUnavailable,
    letter_docx,
    letter_filename,
    letter_html,
    letter_pdf,
    vietnamese_date_line,
    weasyprint_available,
)

ISSUED = dt.date(2026, 2, 5)
REPLY_BY = dt.date(2026, 3, 2)
ESCAPED_TITLE = "Rà soát hồ sơ <Dự án A&B> đất đai"

TASKS = (
    LetterTask(
        title=ESCAPED_TITLE,
        lead_unit="Sở Xây dựng",
        deadline=dt.date(2026, 1, 20),
        days_overdue=12,
        expected_output="Báo cáo rà soát",
        source="Chỉ thị số 24-CT/TU ngày 07/8/2023",
    ),
    LetterTask(
        title="Xây dựng kế hoạch chuyển đổi số",
        lead_unit="Sở Khoa học và Công nghệ",
        deadline=dt.date(2026, 1, 30),
        days_overdue=4,
        source="Kế hoạch số 171-KH/TU ngày 15/3/2025",
    ),
    LetterTask(
        title="Tổng hợp thu ngân sách quý I",
        lead_unit="Sở Tài chính",
        deadline=dt.date(2026, 3, 31),
        days_overdue=0,
        expected_output="Báo cáo tổng hợp",
        source="Văn bản số 3241/UBND-KGVX ngày 01/10/2025",
    ),
)

STATE = LetterContent(
    party=False,
    superior_body="",
    issuing_body="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI",
    number_symbol="125/UBND-KT",
    place="Hà Nội",
    issued_on=ISSUED,
    subject="V/v đôn đốc thực hiện nhiệm vụ được giao",
    addressees=("Sở Xây dựng", "Sở Khoa học và Công nghệ", "Sở Tài chính"),
    opening=(
        "Thực hiện Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy, Ủy ban nhân "
        "dân Thành phố đã giao các sở triển khai các nhiệm vụ dưới đây; đến nay còn nhiệm vụ "
        "quá hạn chưa có báo cáo:"
    ),
    tasks=TASKS,
    reply_by=REPLY_BY,
    closing="Yêu cầu Giám đốc các sở khẩn trương chỉ đạo hoàn thành các nhiệm vụ nêu trên.",
    signer_mark="KT. CHỦ TỊCH",
    signer_position="PHÓ CHỦ TỊCH",
    signer_name="Hà Minh Tâm",
    recipients=("- Như trên;", "- Chủ tịch UBND Thành phố (để b/c);", "- Lưu: VT, KT."),
)

PARTY = replace(
    STATE,
    party=True,
    superior_body="THÀNH ỦY HÀ NỘI",
    issuing_body="VĂN PHÒNG",
    number_symbol="125-CV/TU",
    signer_mark="T/L BAN THƯỜNG VỤ",
    signer_position="CHÁNH VĂN PHÒNG",
)

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
NOT_YET = "Chưa đến hạn"


def squash(text: str) -> str:
    return "".join(text.split())


def spaced(text: str) -> str:
    return " ".join(text.split())


# --- reading back -----------------------------------------------------------------------------


def docx_of(content: LetterContent) -> docx.document.Document:
    return docx.Document(io.BytesIO(letter_docx(content)))


def docx_text(doc: docx.document.Document) -> str:
    """Every paragraph of the body and of every table cell, one a line."""
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def task_table(doc: docx.document.Document) -> docx.table.Table:
    found = [t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["TT", "Nhiệm vụ"]]
    assert len(found) == 1
    return found[0]


def pdf_of(content: LetterContent) -> pypdf.PdfReader:
    data = letter_pdf(content)
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def pdf_text(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def state_docx() -> docx.document.Document:
    return docx_of(STATE)


@pytest.fixture(scope="module")
def state_pdf() -> pypdf.PdfReader:
    return pdf_of(STATE)


@pytest.fixture(scope="module")
def party_docx() -> docx.document.Document:
    return docx_of(PARTY)


@pytest.fixture(scope="module")
def party_pdf() -> pypdf.PdfReader:
    return pdf_of(PARTY)


# --- text helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 2, 5), "Hà Nội, ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 1, 9), "Hà Nội, ngày 09 tháng 01 năm 2026"),
        (dt.date(2026, 1, 10), "Hà Nội, ngày 10 tháng 01 năm 2026"),
        (dt.date(2026, 3, 1), "Hà Nội, ngày 01 tháng 3 năm 2026"),
        (dt.date(2026, 9, 30), "Hà Nội, ngày 30 tháng 9 năm 2026"),
        (dt.date(2026, 10, 7), "Hà Nội, ngày 07 tháng 10 năm 2026"),
        (dt.date(2026, 11, 28), "Hà Nội, ngày 28 tháng 11 năm 2026"),
        (dt.date(2026, 12, 31), "Hà Nội, ngày 31 tháng 12 năm 2026"),
    ],
)
def test_date_line_pads_days_below_10_and_months_1_and_2(day: dt.date, expected: str) -> None:
    assert vietnamese_date_line("Hà Nội", day) == expected


def test_filename_is_ascii_and_ends_with_the_extension() -> None:
    assert letter_filename(STATE, "docx") == "cong-van-don-doc-125-UBND-KT.docx"
    assert letter_filename(PARTY, "pdf") == "cong-van-don-doc-125-CV-TU.pdf"
    odd = replace(STATE, number_symbol="07/SĐT-QLĐT ngày/đêm")
    for ext in ("docx", ".pdf"):
        name = letter_filename(odd, ext)
        assert name.isascii()
        assert name.endswith(f".{ext.lstrip('.')}")
        assert not name.endswith(f"..{ext.lstrip('.')}")
        assert "/" not in name and " " not in name
    assert letter_filename(odd, "pdf") == "cong-van-don-doc-07-SDT-QLDT-ngay-dem.pdf"


def test_overdue_column_text() -> None:
    assert letters.overdue_text(TASKS[0], ISSUED) == "12"
    assert letters.overdue_text(TASKS[2], ISSUED) == "Chưa đến hạn"
    due_today = replace(TASKS[2], deadline=ISSUED)
    assert letters.overdue_text(due_today, ISSUED) == "0"
    with pytest.raises(ValueError, match="days_overdue"):
        replace(TASKS[0], days_overdue=-1)


def test_addressees_and_recipients_get_dashes_and_end_punctuation() -> None:
    assert letters.addressee_lines(STATE) == [
        "- Sở Xây dựng;",
        "- Sở Khoa học và Công nghệ;",
        "- Sở Tài chính.",
    ]
    assert letters.addressee_lines(replace(STATE, addressees=("Sở Tài chính",))) == ["Sở Tài chính"]
    assert letters.recipient_lines(replace(STATE, recipients=("Như trên", "Lưu: VT, KT"))) == [
        "- Như trên;",
        "- Lưu: VT, KT.",
    ]


# --- .docx ------------------------------------------------------------------------------------


def test_recipients_are_laid_out_as_the_decree_does() -> None:
    # Run together on one line, without the two standard entries: split, completed.
    assert letters.standard_recipients("Sở A; Sở B", "2150/UBND-KT").splitlines() == [
        "- Như trên;",
        "- Sở A;",
        "- Sở B;",
        "- Lưu: VT, KT.",
    ]
    # Already standard: kept as it is; a filing line written first goes last.
    kept = "- Như trên;\n- Chủ tịch UBND Thành phố (để b/c);\n- Lưu: VT, KT."
    assert letters.standard_recipients(kept, "2150/UBND-KT") == kept
    assert letters.standard_recipients("Lưu: VT, TH\nNhư trên", "1/ĐĐ-STC").splitlines() == [
        "- Như trên;",
        "- Lưu: VT, TH.",
    ]
    # Nothing given: the two standard lines; a Party number has no division after a dash.
    assert letters.standard_recipients("", "125-CV/TU").splitlines() == [
        "- Như trên;",
        "- Lưu: VT.",
    ]


def test_docx_page_is_a4_with_the_decree_margins(state_docx: docx.document.Document) -> None:
    section = state_docx.sections[0]
    assert abs(section.page_width.mm - 210) < 0.5
    assert abs(section.page_height.mm - 297) < 0.5
    assert 20 - 0.1 <= section.top_margin.mm <= 25 + 0.1
    assert 20 - 0.1 <= section.bottom_margin.mm <= 25 + 0.1
    assert 30 - 0.1 <= section.left_margin.mm <= 35 + 0.1
    assert 15 - 0.1 <= section.right_margin.mm <= 20 + 0.1


def test_docx_font_is_times_new_roman_for_every_script(state_docx: docx.document.Document) -> None:
    normal = state_docx.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert Pt(13) <= normal.font.size <= Pt(14)
    rfonts = normal.element.rPr.rFonts
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert rfonts.get(f"{{{rfonts.nsmap['w']}}}{slot}") == "Times New Roman", slot


def test_docx_heading_block(state_docx: docx.document.Document) -> None:
    head = state_docx.tables[0]
    left_top, right_top = head.cell(0, 0).text, head.cell(0, 1).text
    left_bottom, right_bottom = head.cell(1, 0).text, head.cell(1, 1).text
    assert left_top.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"]
    assert NATIONAL in right_top and MOTTO in right_top
    assert PARTY_HEADING not in docx_text(state_docx)
    assert left_bottom.split("\n") == ["Số: 125/UBND-KT", STATE.subject]
    assert right_bottom == "Hà Nội, ngày 05 tháng 02 năm 2026"
    # The issuing body's column is about 45% of the width; the heading table has no borders.
    widths = [c.width for c in head.rows[0].cells]
    assert 0.40 < widths[0] / sum(widths) < 0.50
    borders = head._tbl.tblPr.find(docx.oxml.ns.qn("w:tblBorders"))
    assert {b.get(docx.oxml.ns.qn("w:val")) for b in borders} == {"nil"}
    # Issuing body bold, national heading bold, date line italic.
    assert all(r.bold for r in head.cell(0, 0).paragraphs[1].runs)
    assert all(r.bold for r in head.cell(0, 1).paragraphs[0].runs)
    assert all(r.italic for r in head.cell(1, 1).paragraphs[0].runs)


def test_docx_body_addressees_tasks_and_closing(state_docx: docx.document.Document) -> None:
    body = [p.text for p in state_docx.paragraphs]
    assert body[body.index("Kính gửi:\t- Sở Xây dựng;") + 1] == "- Sở Khoa học và Công nghệ;"
    assert STATE.opening in body

    table = task_table(state_docx)
    assert [c.text for c in table.rows[0].cells] == list(letters.TASK_COLUMNS)
    assert all(r.bold for c in table.rows[0].cells for p in c.paragraphs for r in p.runs)
    assert len(table.rows) == 1 + len(TASKS)
    expected = [
        (
            "1",
            ESCAPED_TITLE,
            "Sở Xây dựng",
            "Chỉ thị số 24-CT/TU ngày 07/8/2023",
            "20/01/2026",
            "12",
        ),
        ("2", TASKS[1].title, "Sở Khoa học và Công nghệ", TASKS[1].source, "30/01/2026", "4"),
        ("3", TASKS[2].title, "Sở Tài chính", TASKS[2].source, "31/03/2026", "Chưa đến hạn"),
    ]
    for row, want in zip(table.rows[1:], expected, strict=True):
        cells = [c.text for c in row.cells]
        assert cells[0] == want[0]
        assert cells[1].split("\n")[0] == want[1]
        assert cells[2:] == list(want[2:])
    assert table.rows[1].cells[1].text == f"{ESCAPED_TITLE}\nSản phẩm: Báo cáo rà soát"
    assert table.rows[2].cells[1].text == TASKS[1].title  # no expected output, no line for it

    closing = next(p for p in body if p.startswith(STATE.closing))
    assert closing.endswith("trước ngày 02/03/2026.")
    assert "báo cáo kết quả thực hiện bằng văn bản" in closing


def test_docx_signature_and_recipients(state_docx: docx.document.Document) -> None:
    sign = state_docx.tables[-1]
    left, right = sign.cell(0, 0), sign.cell(0, 1)
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", *STATE.recipients]
    nhan = left.paragraphs[0].runs[0]
    assert nhan.bold and nhan.italic and nhan.font.size == Pt(12)
    assert left.paragraphs[1].runs[0].font.size == Pt(11)
    lines = [p.text for p in right.paragraphs]
    assert lines[:2] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert lines[-1] == "Hà Minh Tâm"
    assert lines[2:-1] and not any(lines[2:-1])  # room for the signature and the seal
    assert right.paragraphs[-1].runs[0].bold
    # The signature never stands alone on a page: the row does not split, and the closing
    # paragraph keeps with it.
    assert sign.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None
    closing = next(p for p in state_docx.paragraphs if p.text.startswith(STATE.closing))
    assert closing.paragraph_format.keep_with_next


def test_docx_party_letter(party_docx: docx.document.Document) -> None:
    head = party_docx.tables[0]
    assert head.cell(0, 1).paragraphs[0].text == PARTY_HEADING
    assert head.cell(0, 1).paragraphs[0].runs[0].bold
    assert head.cell(0, 0).text.split("\n") == ["THÀNH ỦY HÀ NỘI", "VĂN PHÒNG", "*"]
    assert head.cell(1, 0).text.split("\n")[0] == "Số 125-CV/TU"
    text = docx_text(party_docx)
    assert NATIONAL not in text and MOTTO not in text
    assert "Số: " not in text


def test_docx_survives_control_characters_in_user_text() -> None:
    odd = replace(STATE, tasks=(replace(TASKS[0], title="Báo\x0bcáo\x00 quý"),))
    table = task_table(docx_of(odd))
    assert table.rows[1].cells[1].text.split("\n")[0] == "Báocáo quý"


# --- .pdf -------------------------------------------------------------------------------------


def test_pdf_is_a4(state_pdf: pypdf.PdfReader) -> None:
    assert len(state_pdf.pages) >= 1
    for page in state_pdf.pages:
        assert abs(float(page.mediabox.width) - 595.28) < 1
        assert abs(float(page.mediabox.height) - 841.89) < 1


def test_pdf_carries_the_letter(state_pdf: pypdf.PdfReader) -> None:
    text = pdf_text(state_pdf)
    flat, tight = spaced(text), squash(text)
    assert "đôn đốc" in text  # Vietnamese diacritics survive extraction, no normalising
    assert squash(STATE.issuing_body) in tight
    assert NATIONAL in flat and MOTTO in flat
    assert PARTY_HEADING not in flat
    assert "Số: 125/UBND-KT" in flat
    assert squash(STATE.subject) in tight
    assert "Hà Nội, ngày 05 tháng 02 năm 2026" in flat
    assert "Kính gửi:" in flat
    for name in ("- Sở Xây dựng;", "- Sở Khoa học và Công nghệ;", "- Sở Tài chính."):
        assert name in flat
    assert squash(STATE.opening) in tight
    assert squash(" ".join(letters.TASK_COLUMNS)) in tight
    # Each row, cell after cell as drawn: TT, title (and product), lead unit, source, deadline,
    # days overdue.
    rows = [
        ("1", ESCAPED_TITLE + "Sản phẩm: Báo cáo rà soát", TASKS[0], "20/01/2026", "12"),
        ("2", TASKS[1].title, TASKS[1], "30/01/2026", "4"),
        ("3", TASKS[2].title + "Sản phẩm: Báo cáo tổng hợp", TASKS[2], "31/03/2026", NOT_YET),
    ]
    for number, title, task, deadline, overdue in rows:
        row = squash(number + title + task.lead_unit + task.source + deadline + overdue)
        assert row in tight, row
    assert "trước ngày 02/03/2026." in flat
    assert "Nơi nhận:" in flat
    for line in STATE.recipients:
        assert line in flat
    assert "KT. CHỦ TỊCH" in flat and "PHÓ CHỦ TỊCH" in flat
    assert "Hà Minh Tâm" in flat


def test_pdf_escapes_user_text() -> None:
    evil = replace(STATE, tasks=(replace(TASKS[0], title="<script>alert(1)</script> A&B"),))
    html = letter_html(evil)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; A&amp;B" in html
    assert squash("<script>alert(1)</script> A&B") in squash(pdf_text(pdf_of(evil)))


def test_pdf_party_letter(party_pdf: pypdf.PdfReader) -> None:
    text = spaced(pdf_text(party_pdf))
    assert PARTY_HEADING in text
    assert "Số 125-CV/TU" in text
    assert "Số: " not in text
    assert NATIONAL not in text and MOTTO not in text
    assert "THÀNH ỦY HÀ NỘI VĂN PHÒNG *" in text


def test_pdf_long_list_runs_over_pages_with_the_header_row_and_page_numbers() -> None:
    many = tuple(
        LetterTask(
            title=f"Kiểm tra số {n:02d}",
            lead_unit="Sở Nội vụ",
            deadline=dt.date(2026, 1, 15),
            days_overdue=15 + n,
            source="Thông báo số 12-TB/TU",
        )
        for n in range(1, 41)
    )
    content = replace(STATE, tasks=many)
    reader = pdf_of(content)
    assert len(reader.pages) >= 2
    pages = [page.extract_text() for page in reader.pages]
    tight = squash("\n".join(pages))
    for n, task in enumerate(many, start=1):
        assert squash(f"{n}{task.title}Sở Nội vụThông báo số 12-TB/TU15/01/2026{15 + n}") in tight
    # The header row repeats at the top of every following page; pages 2… are numbered.
    assert pages[0].split("\n")[-1].strip() != "1"
    for number, page in enumerate(pages[1:], start=2):
        assert squash("TT Nhiệm vụ") in squash(page)
        assert page.split("\n")[-1].strip() == str(number)
    # The signature block is not left alone on the last page: the closing goes with it.
    last = spaced(pages[-1])
    assert "trước ngày 02/03/2026." in last and "Hà Minh Tâm" in last

    table = task_table(docx_of(content))
    assert len(table.rows) == 41
    header = table.rows[0]._tr.trPr
    assert header.find(docx.oxml.ns.qn("w:tblHeader")) is not None


# --- without WeasyPrint -------------------------------------------------------------------------


class _NoPango(importlib.abc.MetaPathFinder):
    """Importing weasyprint fails as it does on a machine without libpango."""

    def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': not found")
        return None


def test_without_pango_pdf_is_unavailable_and_docx_still_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert weasyprint_available()
    monkeypatch.delitem(sys.modules, "weasyprint")
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    assert not weasyprint_available()
    with pytest.raises(LetterUnavailable) as caught:
        letter_pdf(STATE)
    assert caught.value.message == (
        "Máy chủ chưa cài thư viện Pango để xuất PDF; tải bản .docx hoặc cài gói libpango-1.0-0."
    )
    assert isinstance(caught.value.__cause__, OSError)
    assert task_table(docx_of(STATE)).rows[1].cells[2].text == "Sở Xây dựng"


def test_without_the_weasyprint_package_pdf_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    assert not weasyprint_available()
    with pytest.raises(LetterUnavailable, match="weasyprint"):
        letter_pdf(STATE)


def test_margins_in_the_pdf_css_match_the_docx() -> None:
    html = letter_html(STATE)
    assert "size: A4" in html
    assert "margin: 20mm 15mm 20mm 30mm" in html
    section = docx_of(STATE).sections[0]
    for side in ("top", "right", "bottom", "left"):
        assert (
            abs(
                getattr(section, f"{side}_margin").mm
                - getattr(letters.content, f"MARGIN_{side.upper()}_MM")
            )
            < 0.1
        )


def test_pdf_signature_never_stands_alone_on_the_last_page() -> None:
    # Somewhere in this range the signature block falls just past the first page (5–6 rows
    # with the fonts here); the last paragraph must go over with it.
    for n in range(3, 10):
        reader = pdf_of(replace(STATE, tasks=(TASKS * 4)[:n]))
        last = spaced(reader.pages[-1].extract_text())
        assert "Hà Minh Tâm" in last, n
        assert "trước ngày 02/03/2026." in last, n
