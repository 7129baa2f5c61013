"""The urging letter (công văn đôn đốc) rendered as .docx and .pdf: pure rendering, no database.

Laid out as a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I; Party
documents after Hướng dẫn 36-HD/VPTW): A4, margins 20/20/30/15 mm, Times New Roman 14 pt.

- Top, a borderless two-column table. Left: the superior body (upright caps), the issuing body
  (bold caps), a short rule (a "*" for a Party body), then "Số: 125/UBND-KT" (Party: "Số
  125-CV/TU") and the subject "V/v …". Right: the national heading and motto with a rule the
  motto's length (Party: "ĐẢNG CỘNG SẢN VIỆT NAM" with its rule), then the place and date in
  italics, level with the number.
- "Kính gửi:" and the addressees; the opening paragraph; a bordered table of the tasks (TT,
  Nhiệm vụ, Đơn vị chủ trì, Văn bản giao, Hạn xử lý, Số ngày quá hạn); the closing paragraph
  ending with a standard sentence that names the reply date.
- Bottom, a borderless two-column table: "Nơi nhận:" and its list at left, the signer's mark,
  position, room for the signature and seal, and name at right.
- From page 2 on, the page number at the top centre.

The PDF goes through the Django template oversight/letter_pdf.html (autoescaped: titles come
from users) and WeasyPrint, imported lazily: without the Pango system library importing it
raises OSError, and letter_pdf then raises LetterUnavailable while .docx keeps working.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

from baro.core.errors import DomainError

NATIONAL_HEADING = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
TASK_COLUMNS = ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Văn bản giao", "Hạn xử lý", "Số ngày quá hạn")
NOT_YET_DUE = "Chưa đến hạn"
PANGO_MISSING = (
    "Máy chủ chưa cài thư viện Pango để xuất PDF; tải bản .docx hoặc cài gói libpango-1.0-0."
)
WEASYPRINT_MISSING = "Máy chủ chưa cài gói weasyprint để xuất PDF; tải bản .docx."

# Page geometry (mm), shared by both formats.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165
HEAD_LEFT_MM = 72  # the issuing body's column (~44%); the rest holds the national heading
SIGN_LEFT_MM = 80  # "Nơi nhận" column of the bottom table
TASK_WIDTHS_MM = (9, 50, 28, 32, 26, 20)  # sums to TEXT_WIDTH_MM

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"

FONT = "Times New Roman"
CELL_PAD_TWIPS = 57  # 1 mm: the padding of the borderless tables' cells in .docx


class LetterUnavailable(DomainError):
    """This format cannot be produced on this server (the PDF engine is missing)."""

    http_status = 503

    def __init__(self, message: str = PANGO_MISSING) -> None:
        super().__init__("letter.unavailable", message)


@dataclass(frozen=True)
class LetterTask:
    title: str
    lead_unit: str
    deadline: dt.date
    days_overdue: int  # 0 = not yet overdue (due today or later)
    expected_output: str = ""
    source: str = ""  # the assigning document, e.g. "Chỉ thị số 24-CT/TU ngày 07/8/2023"

    def __post_init__(self) -> None:
        if self.days_overdue < 0:
            raise ValueError("days_overdue must be 0 or more")


@dataclass(frozen=True)
class LetterContent:
    party: bool  # a Party body: "ĐẢNG CỘNG SẢN VIỆT NAM" instead of the national heading
    superior_body: str  # the line above the issuing body; may be ""
    issuing_body: str  # "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"; "\n" forces a line break
    number_symbol: str  # "125/UBND-KT"; Party style "125-CV/TU"
    place: str  # "Hà Nội"
    issued_on: dt.date
    subject: str  # "V/v đôn đốc thực hiện nhiệm vụ được giao"
    addressees: tuple[str, ...]
    opening: str  # cites the earlier document (number, date) and the situation
    tasks: tuple[LetterTask, ...]
    reply_by: dt.date
    closing: str  # what the units must do; the renderer appends the reply-by sentence
    signer_mark: str  # "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / ""
    signer_position: str  # "PHÓ CHỦ TỊCH"
    signer_name: str
    recipients: tuple[str, ...]  # "- Như trên;" … "- Lưu: VT, KT."
    report_to: str = ""  # optional: "Ủy ban nhân dân Thành phố (qua Văn phòng)"


# ---------------------------------------------------------------------------------------------
# Text shared by both formats


def vietnamese_date_line(place: str, day: dt.date) -> str:
    """'Hà Nội, ngày 05 tháng 02 năm 2026': NĐ 30 writes a 0 before days 1–9 and months 1–2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def short_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def number_line(content: LetterContent) -> str:
    """'Số: 125/UBND-KT' (NĐ 30); a Party document writes 'Số 125-CV/TU' (HD 36-HD/VPTW)."""
    return f"Số {content.number_symbol}" if content.party else f"Số: {content.number_symbol}"


def overdue_text(task: LetterTask, today: dt.date) -> str:
    if task.days_overdue == 0 and task.deadline > today:
        return NOT_YET_DUE
    return str(task.days_overdue)


def reply_sentence(content: LetterContent) -> str:
    to = f" về {content.report_to.strip()}" if content.report_to.strip() else ""
    return (
        f"Đề nghị báo cáo kết quả thực hiện bằng văn bản{to} "
        f"trước ngày {short_date(content.reply_by)}."
    )


def closing_text(content: LetterContent) -> str:
    """The closing paragraph: `closing` followed by the standard reply-by sentence."""
    lines = _paragraphs(content.closing)
    sentence = reply_sentence(content)
    if not lines:
        return sentence
    return "\n".join([*lines[:-1], f"{lines[-1]} {sentence}"])


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _listed(items: tuple[str, ...]) -> list[str]:
    """'- A;' … '- Z.': a dash before each, ';' after each but the last, '.' after the last,
    unless the writer put them there already."""
    items = tuple(i.strip() for i in items if i.strip())
    out = []
    for n, item in enumerate(items):
        text = item if item.startswith(("-", "–")) else f"- {item}"
        if not text.endswith((";", ".", ",", ":")):
            text += "." if n == len(items) - 1 else ";"
        out.append(text)
    return out


def addressee_lines(content: LetterContent) -> list[str]:
    """One addressee is written after 'Kính gửi:' as is; several get a dash each."""
    names = [a.strip() for a in content.addressees if a.strip()]
    if len(names) == 1:
        return names
    return _listed(tuple(names))


def recipient_lines(content: LetterContent) -> list[str]:
    return _listed(content.recipients)


def task_rows(content: LetterContent) -> list[dict[str, Any]]:
    return [
        {
            "number": n,
            "title": t.title,
            "expected_output": t.expected_output,
            "lead_unit": t.lead_unit,
            "source": t.source,
            "deadline": short_date(t.deadline),
            "overdue": overdue_text(t, content.issued_on),
            "is_overdue": t.days_overdue > 0,
        }
        for n, t in enumerate(content.tasks, start=1)
    ]


def letter_filename(content: LetterContent, ext: str) -> str:
    """ASCII-safe: 'cong-van-don-doc-125-UBND-KT.docx'."""
    ext = re.sub(r"[^A-Za-z0-9]", "", ext) or "bin"
    symbol = _ascii(content.number_symbol)
    symbol = re.sub(r"[^A-Za-z0-9]+", "-", symbol).strip("-")
    stem = f"cong-van-don-doc-{symbol}" if symbol else "cong-van-don-doc"
    return f"{stem}.{ext}"


def letter_download(content: LetterContent, ext: str) -> HttpResponse:
    """The letter as a file to download, "docx" or "pdf": what the page and the API both
    answer. LetterUnavailable when this server cannot print a PDF."""
    if ext == "pdf":
        body, content_type = letter_pdf(content), PDF_TYPE
    else:
        body, content_type = letter_docx(content), DOCX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(content, ext)}"'
    return response


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    """XML 1.0 refuses control characters; pasted text sometimes carries them."""
    return _CONTROL.sub("", text)


# ---------------------------------------------------------------------------------------------
# .docx


def letter_docx(content: LetterContent) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    doc = Document()
    _docx_base_style(doc)

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # The page number from page 2 on, at the top centre (NĐ 30); page 1 has none.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty first-page header
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_page_field(number, Pt(13))

    core = doc.core_properties
    core.title = _clean(content.subject)
    core.author = _clean(content.issuing_body)
    core.language = "vi-VN"

    # --- Top: issuing body | national heading; number and subject | place and date.
    head = _docx_table(doc, 2, (HEAD_LEFT_MM, TEXT_WIDTH_MM - HEAD_LEFT_MM), borders=False)
    left, right = head.cell(0, 0), head.cell(0, 1)
    first = True
    if content.superior_body.strip():
        _docx_lines(left, content.superior_body, size=13, first=first)
        first = False
    _docx_lines(left, content.issuing_body, size=13, bold=True, first=first)
    if content.party:
        _docx_par(left, "*", size=13)
    else:
        _docx_rule(left, width_mm=25, column_mm=HEAD_LEFT_MM)

    right_mm = TEXT_WIDTH_MM - HEAD_LEFT_MM
    if content.party:
        _docx_par(right, PARTY_HEADING, size=14, bold=True, first=True)
        _docx_rule(right, width_mm=68, column_mm=right_mm)
    else:
        _docx_par(right, NATIONAL_HEADING, size=12, bold=True, first=True)
        _docx_par(right, MOTTO, size=13, bold=True)
        _docx_rule(right, width_mm=57, column_mm=right_mm)

    left, right = head.cell(1, 0), head.cell(1, 1)
    _docx_par(left, number_line(content), size=13, first=True, space_before=4)
    _docx_lines(left, content.subject, size=12)
    _docx_par(
        right,
        vietnamese_date_line(content.place, content.issued_on),
        size=14,
        italic=True,
        first=True,
        space_before=4,
    )

    # --- Kính gửi
    _docx_spacer(doc, 6)
    names = addressee_lines(content)
    if len(names) <= 1:
        p = _docx_par(doc, f"Kính gửi: {names[0] if names else ''}".rstrip())
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(6)
    else:
        label_at, list_at = Cm(3.5), Cm(6.0)
        for n, name in enumerate(names):
            p = doc.add_paragraph()
            fmt = p.paragraph_format
            fmt.left_indent = list_at
            fmt.space_after = Pt(6 if n == len(names) - 1 else 0)
            if n == 0:
                fmt.first_line_indent = label_at - list_at
                fmt.tab_stops.add_tab_stop(list_at)
                _docx_run(p, "Kính gửi:\t")
            _docx_run(p, name)

    # --- Body
    for text in _paragraphs(content.opening):
        _docx_body(doc, text)

    if content.tasks:
        table = _docx_table(doc, len(content.tasks) + 1, TASK_WIDTHS_MM, borders=True)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        header = table.rows[0]
        _docx_row_flags(header, repeat=True)
        for cell, title in zip(header.cells, TASK_COLUMNS, strict=True):
            p = _docx_par(cell, title, size=12, bold=True, first=True)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _docx_valign(cell, "center")
        for row, task in zip(table.rows[1:], task_rows(content), strict=True):
            _docx_row_flags(row, repeat=False)
            cells = row.cells
            c = WD_ALIGN_PARAGRAPH.CENTER
            _docx_par(cells[0], str(task["number"]), size=12, first=True).alignment = c
            _docx_par(cells[1], task["title"], size=12, first=True, center=False)
            if task["expected_output"]:
                _docx_par(
                    cells[1],
                    f"Sản phẩm: {task['expected_output']}",
                    size=12,
                    italic=True,
                    center=False,
                )
            _docx_par(cells[2], task["lead_unit"], size=12, first=True, center=False)
            _docx_par(cells[3], task["source"], size=12, first=True, center=False)
            _docx_par(cells[4], task["deadline"], size=12, first=True).alignment = c
            _docx_par(
                cells[5], task["overdue"], size=12, first=True, bold=task["is_overdue"]
            ).alignment = c
        _docx_spacer(doc, 6)

    closing = [_docx_body(doc, text) for text in _paragraphs(closing_text(content))]
    # The signature never stands alone on a page: the last paragraph goes with it.
    closing[-1].paragraph_format.keep_with_next = True

    # --- Bottom: Nơi nhận | signature
    _docx_spacer(doc, 6).paragraph_format.keep_with_next = True
    sign = _docx_table(doc, 1, (SIGN_LEFT_MM, TEXT_WIDTH_MM - SIGN_LEFT_MM), borders=False)
    _docx_row_flags(sign.rows[0], repeat=False)
    left, right = sign.cell(0, 0), sign.cell(0, 1)
    _docx_par(left, "Nơi nhận:", size=12, bold=True, italic=True, first=True, center=False)
    for line in recipient_lines(content):
        _docx_par(left, line, size=11, center=False)
    first = True
    for text in (content.signer_mark, content.signer_position):
        if text.strip():
            p = _docx_par(right, text.strip().upper(), size=14, bold=True, first=first)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            first = False
    for _ in range(4):  # room for the signature and the seal
        _docx_par(right, "", size=14, first=first)
        first = False
    p = _docx_par(right, content.signer_name, size=14, bold=True)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_base_style(doc: Any) -> None:
    from docx.shared import Pt

    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(14)
        rpr = style.element.get_or_add_rPr()
        _docx_fonts(rpr)
        _docx_set(rpr, "w:lang", {"w:val": "vi-VN", "w:eastAsia": "vi-VN", "w:bidi": "ar-SA"})
    normal = doc.styles["Normal"].paragraph_format
    normal.space_before = Pt(0)
    normal.space_after = Pt(0)
    normal.line_spacing = 1.0
    normal.widow_control = True


def _docx_fonts(rpr: Any) -> None:
    """Times New Roman for every script slot, so Word never falls back for Vietnamese."""
    attrs = {f"w:{slot}": FONT for slot in ("ascii", "hAnsi", "eastAsia", "cs")}
    _docx_set(rpr, "w:rFonts", attrs, first=True)


def _docx_set(
    parent: Any,
    tag: str,
    attrs: dict[str, str],
    *,
    first: bool = False,
    before: tuple[str, ...] = (),
) -> Any:
    """Find or make `parent`'s child `tag` and set `attrs` on it. A new child goes first, or
    before the first of `before` present (WordprocessingML fixes the order of children), or
    last."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        successor = next((found for t in before if (found := parent.find(qn(t))) is not None), None)
        if first:
            parent.insert(0, el)
        elif successor is not None:
            successor.addprevious(el)
        else:
            parent.append(el)
    for key, value in attrs.items():
        el.set(qn(key), value)
    return el


def _docx_run(paragraph: Any, text: str, **kw: Any) -> Any:
    from docx.shared import Pt

    run = paragraph.add_run(_clean(text))
    if kw.get("size"):
        run.font.size = Pt(kw["size"])
        later = ("w:highlight", "w:u", "w:effect", "w:vertAlign", "w:lang")
        _docx_set(
            run._r.get_or_add_rPr(), "w:szCs", {"w:val": str(int(kw["size"] * 2))}, before=later
        )
    run.font.bold = kw.get("bold") or None
    run.font.italic = kw.get("italic") or None
    _docx_fonts(run._r.get_or_add_rPr())
    return run


def _docx_par(
    container: Any,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    first: bool = False,
    space_before: float = 0,
    center: bool | None = None,
) -> Any:
    """A paragraph in a cell (centred unless told otherwise) or in the document body.

    `first` reuses the empty paragraph every new cell holds."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    is_cell = hasattr(container, "vertical_alignment")
    p = container.paragraphs[0] if first and is_cell else container.add_paragraph()
    if is_cell if center is None else center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if space_before:
        p.paragraph_format.space_before = Pt(space_before)
    if text:
        _docx_run(p, text, size=size, bold=bold, italic=italic)
    elif size:
        _docx_mark_size(p, size)
    return p


def _docx_lines(cell: Any, text: str, **kw: Any) -> None:
    """Each line of `text` a centred paragraph (an issuing body may be written on two)."""
    first = kw.pop("first", False)
    for line in _paragraphs(text) or [""]:
        _docx_par(cell, line, first=first, **kw)
        first = False


def _docx_mark_size(p: Any, size: float) -> None:
    ppr = p._p.get_or_add_pPr()
    rpr = _docx_set(ppr, "w:rPr", {})
    _docx_set(rpr, "w:sz", {"w:val": str(int(size * 2))})
    _docx_set(rpr, "w:szCs", {"w:val": str(int(size * 2))})


def _docx_rule(cell: Any, *, width_mm: float, column_mm: float) -> None:
    """A centred horizontal line `width_mm` long: the top border of an empty, tiny paragraph
    indented from both sides of the cell."""
    from docx.shared import Mm, Pt

    p = cell.add_paragraph()
    side = max(0.0, (column_mm - width_mm) / 2 - CELL_PAD_TWIPS / 56.7)
    fmt = p.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(side)
    fmt.space_before = Pt(1)
    fmt.line_spacing = Pt(4)
    ppr = p._p.get_or_add_pPr()
    later = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr")
    bdr = _docx_set(ppr, "w:pBdr", {}, before=later)
    _docx_set(bdr, "w:top", {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"})
    _docx_mark_size(p, 2)


def _docx_body(doc: Any, text: str) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt = p.paragraph_format
    fmt.first_line_indent = Cm(1.27)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    _docx_run(p, text, size=14)
    return p


def _docx_spacer(doc: Any, size: float) -> Any:
    p = doc.add_paragraph()
    _docx_mark_size(p, size)
    return p


def _docx_table(doc: Any, rows: int, widths_mm: tuple[float, ...], *, borders: bool) -> Any:
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = doc.add_table(rows=rows, cols=len(widths_mm))
    if borders:
        table.style = doc.styles["Table Grid"]
    table.autofit = False  # w:tblLayout fixed: the widths below hold
    tblpr = table._tbl.tblPr
    later = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout")
    later += ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    width = {"w:w": str(int(sum(widths_mm) * 56.7)), "w:type": "dxa"}
    _docx_set(tblpr, "w:tblW", width, before=later)
    if not borders:
        edges = ("top", "left", "bottom", "right", "insideH", "insideV")
        bdr = _docx_set(tblpr, "w:tblBorders", {}, before=later[4:])
        for edge in edges:
            _docx_set(bdr, f"w:{edge}", {"w:val": "nil"})
        # Narrow cell padding, so the national heading (about 88 mm at 12 pt) keeps to a line.
        mar = _docx_set(tblpr, "w:tblCellMar", {}, before=later[7:])
        for edge in ("left", "right"):
            _docx_set(mar, f"w:{edge}", {"w:w": str(CELL_PAD_TWIPS), "w:type": "dxa"})
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(grid[0].tag), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(width * 56.7)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def _docx_row_flags(row: Any, *, repeat: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    _docx_set(trpr, "w:cantSplit", {})
    if repeat:
        _docx_set(trpr, "w:tblHeader", {})


def _docx_valign(cell: Any, where: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    _docx_set(tcpr, "w:vAlign", {"w:val": where}, before=("w:hideMark",))


def _docx_page_field(paragraph: Any, size: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    run.font.size = size
    _docx_fonts(run._r.get_or_add_rPr())
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._r.append(el)


# ---------------------------------------------------------------------------------------------
# .pdf


def letter_context(content: LetterContent) -> dict[str, Any]:
    return {
        "c": content,
        "number_line": number_line(content),
        "date_line": vietnamese_date_line(content.place, content.issued_on),
        "superior_lines": _paragraphs(content.superior_body),
        "issuing_lines": _paragraphs(content.issuing_body),
        "subject_lines": _paragraphs(content.subject),
        "addressees": addressee_lines(content),
        "opening": _paragraphs(content.opening),
        "columns": TASK_COLUMNS,
        "rows": task_rows(content),
        "closing": _paragraphs(closing_text(content)),
        "recipients": recipient_lines(content),
        "signer_mark": content.signer_mark.strip().upper(),
        "signer_position": content.signer_position.strip().upper(),
        "national_heading": NATIONAL_HEADING,
        "motto": MOTTO,
        "party_heading": PARTY_HEADING,
        "margins": {
            "top": MARGIN_TOP_MM,
            "bottom": MARGIN_BOTTOM_MM,
            "left": MARGIN_LEFT_MM,
            "right": MARGIN_RIGHT_MM,
        },
        # Strings, not numbers: the Vietnamese locale would print 43,64 and break the CSS.
        "head_left": _percent(HEAD_LEFT_MM),
        "sign_left": _percent(SIGN_LEFT_MM),
        "task_widths": [_percent(w) for w in TASK_WIDTHS_MM],
    }


def _percent(mm: float) -> str:
    return f"{100 * mm / TEXT_WIDTH_MM:.2f}%"


def letter_html(content: LetterContent) -> str:
    """The HTML the PDF is printed from (also usable as an on-screen preview)."""
    from django.template.loader import render_to_string

    return render_to_string("oversight/letter_pdf.html", letter_context(content))


def _weasyprint() -> Any:
    try:
        import weasyprint
    except OSError as exc:  # the Pango/GObject shared libraries are missing
        raise LetterUnavailable(PANGO_MISSING) from exc
    except ImportError as exc:
        raise LetterUnavailable(WEASYPRINT_MISSING) from exc
    return weasyprint


def weasyprint_available() -> bool:
    try:
        _weasyprint()
    except LetterUnavailable:
        return False
    return True


def letter_pdf(content: LetterContent) -> bytes:
    weasyprint = _weasyprint()
    html = letter_html(content)
    return weasyprint.HTML(string=html).write_pdf()
