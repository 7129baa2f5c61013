"""What the plots of the story share: deadlines by date or period, the grades, a demo PDF."""

from __future__ import annotations

from baro.demo.story.stage import Stage
from baro.work.models import DeadlineRule, EffectivenessGrade
from baro.workdays.calendar import PeriodKind

E = EffectivenessGrade


def by_date(stage: Stage, days: int) -> dict[str, object]:
    return {"deadline_rule": DeadlineRule.DATE, "deadline": stage.due(days)}


def this_period(stage: Stage, kind: str) -> dict[str, object]:
    """A period deadline for the month or quarter containing today ("trong tháng 11/2026")."""
    number = stage.today.month if kind == PeriodKind.MONTH else (stage.today.month - 1) // 3 + 1
    return {
        "deadline_rule": DeadlineRule.PERIOD,
        "deadline_period_kind": kind,
        "deadline_period_year": stage.today.year,
        "deadline_period_number": number,
    }


def demo_pdf(text: str) -> bytes:
    """A small, valid one-page PDF holding `text` (ASCII), for the demo's attachments."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
