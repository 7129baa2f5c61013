"""What an urging letter says, as both formats print it: the content (LetterContent, from
baro.oversight.queries.letters), the page geometry and the lines of text (date line, number line,
addressees, the task table's rows, the closing with its reply-by sentence). No database."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from baro.core.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NATIONAL_HEADING = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
TASK_COLUMNS = ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Văn bản giao", "Hạn xử lý", "Số ngày quá hạn")
NOT_YET_DUE = "Chưa đến hạn"
PANGO_MISSING = gettext_lazy(
    "Máy chủ chưa cài thư viện Pango để xuất PDF; tải bản .docx hoặc cài gói libpango-1.0-0."
)
WEASYPRINT_MISSING = gettext_lazy("Máy chủ chưa cài gói weasyprint để xuất PDF; tải bản .docx.")

# Page geometry (mm), shared by both formats.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 165
HEAD_LEFT_MM = 72  # the issuing body's column (~44%); the rest holds the national heading
SIGN_LEFT_MM = 80  # "Nơi nhận" column of the bottom table
TASK_WIDTHS_MM = (9, 50, 28, 32, 26, 20)  # sums to TEXT_WIDTH_MM

FONT = "Times New Roman"
CELL_PAD_TWIPS = 57  # 1 mm: the padding of the borderless tables' cells in .docx


class LetterUnavailable(DomainError):
    """This format cannot be produced on this server (the PDF engine is missing)."""

    http_status = 503

    def __init__(self, message: StrOrPromise = PANGO_MISSING) -> None:
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
    lines = paragraphs(content.closing)
    sentence = reply_sentence(content)
    if not lines:
        return sentence
    return "\n".join([*lines[:-1], f"{lines[-1]} {sentence}"])


def paragraphs(text: str) -> list[str]:
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


_SAME_AS_ABOVE = "Như trên"
_FILED = "Lưu"


def _recipient_items(text: str) -> list[str]:
    """The recipients typed one a line or run together with ';': each without its dash and
    closing punctuation."""
    items = []
    for line in text.splitlines():
        for part in line.split(";"):
            item = part.strip().lstrip("-–").strip().rstrip(";.,").strip()
            if item:
                items.append(item)
    return items


def filing_mark(number_symbol: str) -> str:
    """'Lưu: VT, KT' for '2150/UBND-KT': the archive (VT) and the drafting division, which NĐ
    30/2020 puts after the last '-' of the symbol; just 'Lưu: VT' when the symbol has none."""
    symbol = number_symbol.strip()
    tail = symbol.rsplit("-", 1)[1].strip() if "-" in symbol.split("/", 1)[-1] else ""
    return f"{_FILED}: VT, {tail}" if tail else f"{_FILED}: VT"


def standard_recipients(text: str, number_symbol: str) -> str:
    """The 'Nơi nhận' block as NĐ 30/2020 (Phụ lục I) lays it out, one recipient a line: '- Như
    trên;' first (the addressees of 'Kính gửi'), then the others, each ending with ';', and
    '- Lưu: VT, <drafting division>.' last. What the writer gave is kept, in their order; the
    two standard lines are added when missing, and a 'Lưu' line written elsewhere goes last."""
    items = _recipient_items(text)
    same = [i for i in items if i.casefold().startswith(_SAME_AS_ABOVE.casefold())]
    filed = [i for i in items if i.casefold().startswith(_FILED.casefold())]
    others = [i for i in items if i not in same and i not in filed]
    ordered = [same[0] if same else _SAME_AS_ABOVE, *others, filed[-1] if filed else ""]
    if not ordered[-1]:
        ordered[-1] = filing_mark(number_symbol)
    return "\n".join(_listed(tuple(ordered)))


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


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def xml_safe(text: str) -> str:
    """XML 1.0 refuses control characters; pasted text sometimes carries them."""
    return _CONTROL.sub("", text)
