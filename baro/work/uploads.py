"""What Baro accepts as an attachment and where it keeps it: the allowed types and size, the
check that a file's bytes really are of the type its name claims, and the files' place on disk.

Read by the attachment command (baro.work.services.attachments), the task page's attachments
panel and the download views and endpoint; it writes nothing.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baro.core.errors import DomainError
from baro.work.models import Attachment

__all__ = [
    "attachment_max_bytes",
    "attachment_path",
    "attachment_types",
    "attachments_root",
    "checked_upload",
    "clean_name",
]

DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_ATTACHMENT_TYPES = ("pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "jpg", "jpeg", "png")

# What each allowed extension must look like inside, and the type Baro serves it with. Office
# Open XML and OpenDocument files are zip archives: their first entries tell which one it is.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_MIME = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
    "txt": "text/plain; charset=utf-8",
}
_KIND_LABEL = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "xls": "Excel",
    "xlsx": "Excel",
    "odt": gettext_lazy("OpenDocument văn bản"),
    "ods": gettext_lazy("OpenDocument bảng tính"),
    "jpg": gettext_lazy("ảnh JPEG"),
    "jpeg": gettext_lazy("ảnh JPEG"),
    "png": gettext_lazy("ảnh PNG"),
    "zip": gettext_lazy("nén ZIP"),
    "txt": gettext_lazy("văn bản"),
}


# The signatures of programs a PDF must not carry: Windows (PE: "MZ", then the DOS stub's
# sentence), Linux (ELF), macOS (Mach-O, 32/64-bit, both byte orders, and fat binaries) and
# scripts (#!). Anywhere in the file only the long ones are looked for (short ones turn up by
# chance in compressed streams); right after the header line, every one of them.
_PROGRAM_ANYWHERE = (b"This program cannot be run in DOS mode", b"\x7fELF\x01", b"\x7fELF\x02")
_PROGRAM_START = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
    _ZIP,
)
_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]\r?\n?")


def _is_pdf(data: bytes) -> bool:
    """Whether `data` has a PDF's structure (ISO 32000): the "%PDF-x.y" header at the start,
    at least one indirect object ("obj" … "endobj"), "%%EOF" in the last 1024 bytes (where
    readers look for the trailer), and no program inside (_PROGRAM_*). A structural check, not a
    full parse: pypdf is only a test dependency, and a reader's leniency would let a file that
    merely starts like a PDF through; the header alone let "%PDF-1.4" + an executable in."""
    header = _PDF_HEADER.match(data)
    if header is None:
        return False
    body = data[header.end() :]
    # The optional second comment line of binary bytes (a hint to transfer programs).
    if body.startswith(b"%"):
        body = body.split(b"\n", 1)[-1]
    body = body.lstrip(b" \t\r\n")
    if body.startswith(_PROGRAM_START):
        return False
    if b"%%EOF" not in data[-1024:] or b" obj" not in data or b"endobj" not in data:
        return False
    return not any(mark in data for mark in _PROGRAM_ANYWHERE)


def _zip_names(data: bytes) -> tuple[set[str], bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, ValueError):
        return set(), b""
    return names, mimetype


def _content_matches(ext: str, data: bytes) -> bool:
    """Whether the bytes are really a file of type `ext` (the magic numbers, and for zip-based
    office formats the entry that names the format)."""
    if ext == "pdf":
        return _is_pdf(data)
    if ext == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if ext in ("doc", "xls"):
        return data.startswith(_OLE2)
    if ext in ("docx", "xlsx", "odt", "ods", "zip"):
        if not data.startswith(_ZIP):
            return False
        if ext == "zip":
            return True
        names, mimetype = _zip_names(data)
        if ext == "docx":
            return "word/document.xml" in names
        if ext == "xlsx":
            return "xl/workbook.xml" in names
        return mimetype == _MIME[ext].encode()
    if ext == "txt":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in data
    return False


def attachment_max_bytes() -> int:
    """The largest file accepted, in bytes (BARO_ATTACHMENT_MAX_BYTES, default 20 MB)."""
    return int(getattr(settings, "BARO_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES))


def attachment_types() -> list[str]:
    """The allowed extensions: the setting's, limited to those whose content Baro can check."""
    configured = getattr(settings, "BARO_ATTACHMENT_TYPES", DEFAULT_ATTACHMENT_TYPES)
    return [ext.lower().lstrip(".") for ext in configured if ext.lower().lstrip(".") in _MIME]


def _human_size(size: int) -> str:
    """ "20,0 MB", "512,3 KB": Vietnamese decimal comma."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"
    return f"{size / 1024:.1f}".replace(".", ",") + " KB"


def _byte_count(size: int) -> str:
    return f"{size:,}".replace(",", ".") + " byte"


def _sizes(size: int, limit: int) -> tuple[str, str]:
    """The file's size and the limit, readable, and never shown as the same figure."""
    shown, allowed = _human_size(size), _human_size(limit)
    if shown == allowed:
        return _byte_count(size), _byte_count(limit)
    return shown, allowed


def attachments_root() -> Path:
    """Where attachments are kept, each under its sha256."""
    return Path(settings.DATA_DIR) / "attachments"


def attachment_path(row: Attachment) -> Path:
    """The stored file of an attachment row."""
    return attachments_root() / row.stored_path


def clean_name(name: str) -> str:
    # Only the last path segment, no control characters: the name is shown, never used on disk.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:255]


def checked_upload(name: str, content: bytes | IO[bytes]) -> tuple[str, bytes]:
    """The content type and the bytes of an upload named `name` (already cleaned) that passed
    the checks: an allowed extension, within the size limit, not empty, and bytes that really
    are a file of that type. DomainError (field `file`) otherwise."""
    limit = attachment_max_bytes()
    allowed = attachment_types()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in allowed:
        raise DomainError(
            "work.attachment_type",
            _("Không nhận tệp “%(name)s”: chỉ nhận các loại tệp %(allowed)s.")
            % {"name": name, "allowed": ", ".join(e.upper() for e in allowed)},
            field="file",
            details={"allowed": allowed},
        )
    declared = getattr(content, "size", None)
    if isinstance(declared, int) and declared > limit:
        data = b""
        size = declared
    else:
        if isinstance(content, bytes | bytearray):
            data = bytes(content)
        else:
            if hasattr(content, "seek"):
                content.seek(0)
            data = content.read(limit + 1)
        size = len(data)
    if size > limit:
        shown, allowed_size = _sizes(size, limit)
        raise DomainError(
            "work.attachment_too_large",
            _("Tệp “%(name)s” (%(shown)s) vượt quá dung lượng cho phép %(allowed_size)s.")
            % {"name": name, "shown": shown, "allowed_size": allowed_size},
            field="file",
            details={"max_bytes": limit},
        )
    if size == 0:
        raise DomainError(
            "work.attachment_empty", _("Tệp “%(name)s” rỗng.") % {"name": name}, field="file"
        )
    if not _content_matches(ext, data):
        raise DomainError(
            "work.attachment_content",
            _(
                "Nội dung tệp “%(name)s” không phải tệp %(kind)s (tệp bị đổi đuôi hoặc "
                "hỏng): không nhận."
            )
            % {"name": name, "kind": _KIND_LABEL[ext]},
            field="file",
        )
    return _MIME[ext], data
