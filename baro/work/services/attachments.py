"""Attaching a file to a task (or one of its reports or requests) or to a directive.

Who: anyone taking part in the task (baro.work.permissions.require_task_participant); for a
directive, who may register it. What is accepted (types, size, the bytes matching the name)
is baro.work.uploads'.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from baro.core.errors import DomainError
from baro.ledger.services import record_action
from baro.org.models import Person, Unit
from baro.work import rules
from baro.work.models import (
    Attachment,
    Directive,
    GuidanceRequest,
    InputRequest,
    ProgressReport,
    Task,
)
from baro.work.permissions import require_directive_side, require_task_participant
from baro.work.services.common import OBJ_ATTACHMENT, locked_task, require_state_in
from baro.work.uploads import attachments_root, checked_upload, clean_name


def _store(sha: str, data: bytes, created: list[Path]) -> str:
    """Write the bytes under their hash (once); note a newly written file in `created`."""
    relative = f"{sha[:2]}/{sha}"
    target = attachments_root() / relative
    if target.exists():
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # Atomic on POSIX: a reader never sees half a file under the final name.
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    created.append(target)
    return relative


@contextmanager
def _removed_on_failure(created: list[Path]) -> Iterator[None]:
    """Remove the files written into `created` if the block fails (its commit included)."""
    try:
        yield
    except BaseException:
        for path in created:
            # Another upload of the same bytes may have committed meanwhile (PostgreSQL runs
            # them concurrently): keep the file if a committed row now points at it. If even
            # that cannot be asked, keep it too: an orphan file is harmless, a missing one not.
            try:
                in_use = Attachment.objects.filter(sha256=path.name).exists()
            except DatabaseError:
                in_use = True
            if not in_use:
                path.unlink(missing_ok=True)
        raise


def attachment_add(
    *,
    actor: Person,
    name: str,
    content: bytes | IO[bytes],
    task: Task | None = None,
    directive: Directive | None = None,
    progress_report: ProgressReport | None = None,
    guidance_request: GuidanceRequest | None = None,
    input_request: InputRequest | None = None,
) -> Attachment:
    """Attach a file to a task (optionally to one of its reports or requests) or a directive.

    Checks, before anything is written: who (see above), size (BARO_ATTACHMENT_MAX_BYTES), the
    extension against BARO_ATTACHMENT_TYPES and the file's own bytes against its extension.
    The file is stored under its sha256 only after the row and the ledger event exist; if the
    transaction then fails (or the commit does), a file this call created is removed, so a
    refused or failed upload leaves nothing on disk. For that reason this command owns its
    commit: it opens its own durable transaction and entry points call it directly, not
    through run_command (nor inside any other transaction).
    """
    created: list[Path] = []
    with _removed_on_failure(created), transaction.atomic(durable=True):
        if task is None and directive is None:
            raise DomainError(
                "work.field_required", _("Chưa chọn nhiệm vụ hoặc văn bản."), field="task"
            )
        if task is not None:
            decision = require_task_participant(actor, task)
            task = locked_task(task)
            decision = require_task_participant(actor, task)
            if task.status in rules.TERMINAL_STATUSES:
                require_state_in(task, frozenset(rules.OPEN_STATUSES), _("đính kèm tệp"))
            for part, label in (
                (progress_report, _("báo cáo tiến độ")),
                (guidance_request, _("yêu cầu xin ý kiến chỉ đạo")),
                (input_request, _("yêu cầu xin ý kiến phối hợp")),
            ):
                if part is not None and part.task_id != task.pk:
                    raise DomainError(
                        "work.attachment_mismatch",
                        _("Tệp được gắn với %(label)s không thuộc nhiệm vụ này.")
                        % {"label": label},
                        field="task",
                    )
            if directive is not None and task.directive_id != directive.pk:
                raise DomainError(
                    "work.attachment_mismatch",
                    _("Nhiệm vụ không thuộc văn bản chỉ đạo đã chọn."),
                    field="directive",
                )
        else:
            assert directive is not None
            if progress_report or guidance_request or input_request:
                raise DomainError(
                    "work.attachment_mismatch", _("Chưa chọn nhiệm vụ của tệp."), field="task"
                )
            decision = require_directive_side(actor, Unit.objects.get(pk=directive.issuing_unit_id))
        shown = clean_name(name or "")
        if not shown:
            raise DomainError("work.field_required", _("Chưa chọn tệp đính kèm."), field="file")
        content_type, data = checked_upload(shown, content)
        sha = hashlib.sha256(data).hexdigest()
        row = Attachment(
            task=task,
            directive=directive,
            progress_report=progress_report,
            guidance_request=guidance_request,
            input_request=input_request,
            uploaded_by=actor,
            original_name=shown,
            content_type=content_type,
            size=len(data),
            sha256=sha,
            stored_path=f"{sha[:2]}/{sha}",
        )
        row.save(force_insert=True)
        record_action(
            actor=actor,
            decision=decision,
            action="work.attachment.added",
            object_type=OBJ_ATTACHMENT,
            object_id=row.pk,
            payload={
                "before": None,
                "after": {
                    "task_id": row.task_id,
                    "directive_id": row.directive_id,
                    "progress_report_id": row.progress_report_id,
                    "guidance_request_id": row.guidance_request_id,
                    "input_request_id": row.input_request_id,
                    "name": row.original_name,
                    "content_type": row.content_type,
                    "size": row.size,
                    "sha256": sha,
                },
            },
        )
        # Last, after every check and every row: a refusal above leaves no file behind, and a
        # failure from here to the commit is cleaned up by _removed_on_failure.
        _store(sha, data, created)
        return row
