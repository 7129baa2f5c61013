"""Attachments: size limit, allow-list checked against the file's own bytes, stored under the
content hash, one ledger event, and nothing left behind (row, event or file) on any refusal."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from baro.core.errors import AuthorityError, DomainError
from baro.testing.collab import refused
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld, assign
from baro.work import services, uploads
from baro.work.models import Attachment, Task

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def office_zip(entry: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(entry, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def in_progress(ww: WorkWorld) -> Task:
    task = assign(ww, officer=ww.w.officer, coordinators=[(ww.dept_b, "", None)])
    return services.task_accept(actor=ww.w.head, task=task)


def test_a_pdf_is_stored_under_its_hash(ww: WorkWorld, data_dir: Path) -> None:
    task = in_progress(ww)
    seq = last_seq()
    row = services.attachment_add(
        actor=ww.w.officer,
        task=task,
        name="../../Báo cáo tiến độ.pdf",
        content=SimpleUploadedFile("x.pdf", PDF, content_type="text/html"),
    )
    event = one_new_event(seq)
    sha = hashlib.sha256(PDF).hexdigest()
    assert (event.action, event.object_type) == ("work.attachment.added", "work.attachment")
    assert event.payload["after"]["sha256"] == sha
    # The browser's claimed type is ignored; the path on disk is the hash, never the name.
    assert (row.original_name, row.content_type, row.size) == (
        "Báo cáo tiến độ.pdf",
        "application/pdf",
        len(PDF),
    )
    path = data_dir / "attachments" / sha[:2] / sha
    assert files_under(data_dir) == [path] and path.read_bytes() == PDF
    assert uploads.attachment_path(row) == path


def test_the_same_bytes_twice_are_stored_once(ww: WorkWorld, data_dir: Path) -> None:
    task = in_progress(ww)
    a = services.attachment_add(actor=ww.w.head, task=task, name="a.pdf", content=PDF)
    b = services.attachment_add(actor=ww.head_b, task=task, name="b.pdf", content=PDF)
    assert a.stored_path == b.stored_path and len(files_under(data_dir)) == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.png", PNG),
        ("anh.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
        ("du-thao.docx", office_zip("word/document.xml")),
        ("bang.xlsx", office_zip("xl/workbook.xml")),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32),
    ],
)
def test_allowed_types(ww: WorkWorld, data_dir: Path, name: str, content: bytes) -> None:
    task = in_progress(ww)
    row = services.attachment_add(actor=ww.w.head, task=task, name=name, content=content)
    assert row.size == len(content)


def test_who_may_attach(ww: WorkWorld, data_dir: Path) -> None:
    task = in_progress(ww)
    # lead head, officer, assigner, coordinator's head: yes
    for who in (ww.w.head, ww.w.officer, ww.city_head, ww.head_b):
        services.attachment_add(actor=who, task=task, name="x.pdf", content=PDF)
    refused(
        "auth.denied",
        lambda: services.attachment_add(
            actor=ww.w.outsider, task=task, name="x.pdf", content=PDF + b"1"
        ),
        error=AuthorityError,
    )
    assert len(files_under(data_dir)) == 1


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("virus.exe", b"MZ" + b"\x00" * 64, "work.attachment_type", "chỉ nhận các loại tệp"),
        ("khong-duoi", PDF, "work.attachment_type", "chỉ nhận"),
        ("tron.zip", office_zip("a.txt"), "work.attachment_type", "PDF"),
        ("gia.pdf", PNG, "work.attachment_content", "không phải tệp PDF"),
        ("gia.docx", office_zip("xl/workbook.xml"), "work.attachment_content", "Word"),
        ("gia.png", PDF, "work.attachment_content", "ảnh PNG"),
        ("rong.pdf", b"", "work.attachment_empty", "rỗng"),
        ("", PDF, "work.field_required", "Chưa chọn tệp"),
    ],
)
def test_disallowed_files_are_refused(
    ww: WorkWorld, data_dir: Path, name: str, content: bytes, code: str, words: str
) -> None:
    task = in_progress(ww)
    error = refused(
        code,
        lambda: services.attachment_add(actor=ww.w.head, task=task, name=name, content=content),
    )
    assert words in error.message and error.field == "file"
    assert files_under(data_dir) == []


def test_oversized_file_is_refused(ww: WorkWorld, data_dir: Path, settings: Any) -> None:
    settings.BARO_ATTACHMENT_MAX_BYTES = 2048
    task = in_progress(ww)
    big = PDF + b"0" * 2048
    for content in (big, SimpleUploadedFile("big.pdf", big)):
        error = refused(
            "work.attachment_too_large",
            lambda content=content: services.attachment_add(
                actor=ww.w.head, task=task, name="big.pdf", content=content
            ),
        )
        assert error.message == (
            "Tệp “big.pdf” (2.096 byte) vượt quá dung lượng cho phép 2.048 byte."
        )
        assert error.details == {"max_bytes": 2048}
    assert files_under(data_dir) == []
    services.attachment_add(actor=ww.w.head, task=task, name="ok.pdf", content=PDF)


def test_the_limit_message_in_megabytes(ww: WorkWorld, data_dir: Path, settings: Any) -> None:
    settings.BARO_ATTACHMENT_MAX_BYTES = 1024 * 1024
    task = in_progress(ww)
    error = refused(
        "work.attachment_too_large",
        lambda: services.attachment_add(
            actor=ww.w.head, task=task, name="lon.pdf", content=PDF + b"0" * (1024 * 1024)
        ),
    )
    assert error.message == (
        "Tệp “lon.pdf” (1.048.624 byte) vượt quá dung lượng cho phép 1.048.576 byte."
    )
    settings.BARO_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
    error = refused(
        "work.attachment_too_large",
        lambda: services.attachment_add(
            actor=ww.w.head, task=task, name="lon.pdf", content=PDF + b"0" * (25 * 1024 * 1024)
        ),
    )
    assert error.message == "Tệp “lon.pdf” (25,0 MB) vượt quá dung lượng cho phép 20,0 MB."


def test_a_part_of_another_task_is_refused(ww: WorkWorld, data_dir: Path) -> None:
    task = in_progress(ww)
    other = in_progress(ww)
    report = services.task_report_progress(actor=ww.w.head, task=other, percent=10, text="Mới")
    refused(
        "work.attachment_mismatch",
        lambda: services.attachment_add(
            actor=ww.w.head, task=task, name="x.pdf", content=PDF, progress_report=report
        ),
    )
    row = services.attachment_add(
        actor=ww.w.head, task=other, name="x.pdf", content=PDF, progress_report=report
    )
    assert row.progress_report == report
    assert files_under(data_dir) != []


def test_a_closed_task_takes_no_file(ww: WorkWorld, data_dir: Path) -> None:
    task = in_progress(ww)
    services.task_cancel(actor=ww.city_head, task=task, reason="Thôi")
    refused(
        "work.wrong_state",
        lambda: services.attachment_add(actor=ww.w.head, task=task, name="x.pdf", content=PDF),
    )
    assert files_under(data_dir) == []


def test_a_database_failure_at_commit_removes_the_new_file(
    ww: WorkWorld, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is written last, inside the transaction; if committing fails (here Django's
    savepoint commit, which is the commit inside the test's transaction), it is removed."""
    task = in_progress(ww)
    seq = last_seq()

    real_commit = connection.savepoint_commit
    failures = [DatabaseError("disk I/O error")]

    def failing_once(sid: str) -> None:
        if failures:
            raise failures.pop()
        real_commit(sid)

    monkeypatch.setattr(connection, "savepoint_commit", failing_once)
    with pytest.raises(DatabaseError):
        services.attachment_add(actor=ww.w.head, task=task, name="x.pdf", content=PDF)
    monkeypatch.undo()
    assert files_under(data_dir) == []
    assert last_seq() == seq and not Attachment.objects.exists()


def test_directive_attachment(ww: WorkWorld, data_dir: Path) -> None:
    from baro.core.timeutil import today

    directive = services.directive_register(
        actor=ww.secretary,
        number_symbol="24-CT/TU",
        kind="directive",
        issuing_unit=ww.root,
        signed_on=today(),
        title="Về tăng cường kỷ luật",
    )
    row = services.attachment_add(
        actor=ww.secretary, directive=directive, name="24-CT.pdf", content=PDF
    )
    assert row.directive == directive and row.task is None
    with pytest.raises(DomainError) as info:
        services.attachment_add(actor=ww.head_b, directive=directive, name="x.pdf", content=PDF)
    assert info.value.code == "auth.denied"
