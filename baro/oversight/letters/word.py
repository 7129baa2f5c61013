"""The urging letter as a Word document (.docx, python-docx), laid out as baro.oversight.letters
describes."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from baro.oversight.letters.content import (
    CELL_PAD_TWIPS,
    FONT,
    HEAD_LEFT_MM,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    MOTTO,
    NATIONAL_HEADING,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    PARTY_HEADING,
    SIGN_LEFT_MM,
    TASK_COLUMNS,
    TASK_WIDTHS_MM,
    TEXT_WIDTH_MM,
    LetterContent,
    addressee_lines,
    closing_text,
    number_line,
    paragraphs,
    recipient_lines,
    task_rows,
    vietnamese_date_line,
    xml_safe,
)


def letter_docx(content: LetterContent) -> bytes:
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
    core.title = xml_safe(content.subject)
    core.author = xml_safe(content.issuing_body)
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
    for text in paragraphs(content.opening):
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

    closing = [_docx_body(doc, text) for text in paragraphs(closing_text(content))]
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

    run = paragraph.add_run(xml_safe(text))
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
    for line in paragraphs(text) or [""]:
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

    table = doc.add_table(rows=rows, cols=len(widths_mm))
    if borders:
        table.style = doc.styles["Table Grid"]
    table.autofit = False  # w:tblLayout fixed: the widths below hold
    tblpr = table._tbl.tblPr
    later: tuple[str, ...] = (
        "w:jc",
        "w:tblCellSpacing",
        "w:tblInd",
        "w:tblBorders",
        "w:shd",
        "w:tblLayout",
    )
    later += ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
    total = {"w:w": str(int(sum(widths_mm) * 56.7)), "w:type": "dxa"}
    _docx_set(tblpr, "w:tblW", total, before=later)
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
