"""The urging letter as a PDF: the Django template oversight/letter_pdf.html (autoescaped:
titles come from users) printed by WeasyPrint. WeasyPrint is imported when a PDF is asked for,
not with this module: without the Pango system library importing it raises OSError, and then
letter_pdf raises LetterUnavailable while the .docx keeps working."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from baro.oversight.letters.content import (
    HEAD_LEFT_MM,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    MOTTO,
    NATIONAL_HEADING,
    PANGO_MISSING,
    PARTY_HEADING,
    SIGN_LEFT_MM,
    TASK_COLUMNS,
    TASK_WIDTHS_MM,
    TEXT_WIDTH_MM,
    WEASYPRINT_MISSING,
    LetterContent,
    LetterUnavailable,
    addressee_lines,
    closing_text,
    number_line,
    paragraphs,
    recipient_lines,
    task_rows,
    vietnamese_date_line,
)


def letter_context(content: LetterContent) -> dict[str, Any]:
    return {
        "c": content,
        "number_line": number_line(content),
        "date_line": vietnamese_date_line(content.place, content.issued_on),
        "superior_lines": paragraphs(content.superior_body),
        "issuing_lines": paragraphs(content.issuing_body),
        "subject_lines": paragraphs(content.subject),
        "addressees": addressee_lines(content),
        "opening": paragraphs(content.opening),
        "columns": TASK_COLUMNS,
        "rows": task_rows(content),
        "closing": paragraphs(closing_text(content)),
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
    return render_to_string("oversight/letter_pdf.html", letter_context(content))


def _weasyprint() -> Any:
    """The WeasyPrint module, imported here rather than with this module: on a server without
    Pango the import itself fails, and only the PDF should be unavailable then."""
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
