"""The urging letter (công văn đôn đốc) rendered as .docx and .pdf: rendering only, no database.

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

content.py  what the letter says (LetterContent) and the lines both formats print
word.py     the .docx (python-docx)
pdf.py      the .pdf (the template oversight/letter_pdf.html through WeasyPrint, imported only
            when a PDF is asked for: without the Pango system library importing it raises
            OSError, and letter_pdf then raises LetterUnavailable while .docx keeps working)
"""

from __future__ import annotations

from django.http import HttpResponse

from baro.oversight.letters.content import (
    NOT_YET_DUE,
    TASK_COLUMNS,
    LetterContent,
    LetterTask,
    LetterUnavailable,
    addressee_lines,
    closing_text,
    letter_filename,
    number_line,
    overdue_text,
    recipient_lines,
    reply_sentence,
    standard_recipients,
    task_rows,
    vietnamese_date_line,
)
from baro.oversight.letters.pdf import letter_html, letter_pdf, weasyprint_available
from baro.oversight.letters.word import letter_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"

__all__ = [
    "DOCX_TYPE",
    "NOT_YET_DUE",
    "PDF_TYPE",
    "TASK_COLUMNS",
    "LetterContent",
    "LetterTask",
    "LetterUnavailable",
    "addressee_lines",
    "closing_text",
    "letter_docx",
    "letter_download",
    "letter_filename",
    "letter_html",
    "letter_pdf",
    "number_line",
    "overdue_text",
    "recipient_lines",
    "reply_sentence",
    "standard_recipients",
    "task_rows",
    "vietnamese_date_line",
    "weasyprint_available",
]


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
