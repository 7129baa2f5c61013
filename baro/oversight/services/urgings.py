"""Urging by hand (đôn đốc trực tiếp) and urging letters (công văn đôn đốc): a leader urges one
task, or issues an official letter that urges several, each task's urging citing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from baro.core.errors import ConflictError, DomainError, NotFoundError
from baro.core.run import command
from baro.core.sql import insert_row
from baro.core.timeutil import format_date, now, today
from baro.ledger.services import record_action
from baro.notify.services import notify
from baro.org.models import Person, Unit
from baro.oversight.letters.content import standard_recipients
from baro.oversight.models import LadderStep, Urging, UrgingLetter
from baro.oversight.people import heads_of
from baro.oversight.permissions import may_issue_letters, require_letter_issuer, require_urger
from baro.oversight.services.common import OBJ_LETTER, OBJ_TASK, clean, required, task_url
from baro.work.models import Task, TaskStatus


def _open_task(task: Task) -> Task:
    try:
        locked = (
            Task.objects.select_for_update(of=("self",))
            .select_related("lead_unit", "assigning_unit", "officer")
            .get(pk=task.pk)
        )
    except Task.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy nhiệm vụ.")) from exc
    if locked.status in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
        raise DomainError(
            "oversight.task_closed",
            _("Nhiệm vụ đã ở trạng thái “%(label)s”, không cần đôn đốc.")
            % {"label": TaskStatus(locked.status).label},
            field="task",
        )
    return locked


def _manual_recipients(tasks: Iterable[Task], day: dt.date) -> list[Person]:
    tasks = list(tasks)
    heads = heads_of({t.lead_unit_id for t in tasks}, day)
    found: dict[int, Person] = {}
    for task in tasks:
        if task.officer is not None:  # loaded with the task (_open_task)
            found[task.officer.pk] = task.officer
        head = heads.get(task.lead_unit_id)
        if head is not None:
            found[head.pk] = head
    return list(found.values())


@command
def task_urge(*, actor: Person, task: Task, note: str) -> Urging:
    """A leader urges a task by hand (đôn đốc trực tiếp), with what is asked."""
    decision = require_urger(actor, task)
    note = required(note, "note", _("nội dung đôn đốc"))
    locked = _open_task(task)
    if locked.lead_unit_id != task.lead_unit_id:  # a dispute decision moved the lead meanwhile
        decision = require_urger(actor, locked)
    task = locked
    urging = insert_row(
        Urging(
            task=task,
            deadline=task.deadline,
            step=LadderStep.MANUAL,
            target_unit_id=task.lead_unit_id,
            target_person_id=task.officer_id,
            urged_by=actor,
            note=note,
            created_at=now(),
        ),
        related=("task", "urged_by"),
    )
    notify(
        recipients=_manual_recipients([task], today()),
        kind="oversight.manual",
        title=f"{actor.full_name} đôn đốc: {task.title[:150]}",
        body=note,
        url=task_url(task.pk),
        object_type=OBJ_TASK,
        object_id=task.pk,
    )
    record_action(
        actor=actor,
        decision=decision,
        action="oversight.task.urged",
        object_type=OBJ_TASK,
        object_id=task.pk,
        payload={"urging_id": urging.pk, "deadline": task.deadline, "note": note},
    )
    return urging


@dataclass(frozen=True)
class LetterDraft:
    """What a person fills in to issue an urging letter."""

    issuing_unit: Unit
    number_symbol: str
    place: str
    issued_on: dt.date
    subject: str
    opening: str
    closing: str
    reply_by: dt.date
    signer: Person
    signer_mark: str
    signer_position: str
    recipients: str = ""


@command
def urging_letter_issue(
    *, actor: Person, draft: LetterDraft, tasks: Sequence[Task]
) -> UrgingLetter:
    """Issue an official urging letter (công văn đôn đốc) on `tasks`: the letter, and one
    urging by hand per task citing it, as one action."""
    decision = require_letter_issuer(actor, draft.issuing_unit)
    if not tasks:
        raise DomainError(
            "oversight.letter_no_tasks", _("Chưa chọn nhiệm vụ nào để đôn đốc."), field="tasks"
        )
    number = required(draft.number_symbol, "number_symbol", _("số, ký hiệu văn bản"))
    subject = required(draft.subject, "subject", _("trích yếu"))
    opening = required(draft.opening, "opening", _("nội dung căn cứ, tình hình"))
    closing = required(draft.closing, "closing", _("nội dung yêu cầu"))
    position = required(draft.signer_position, "signer_position", _("chức vụ người ký"))
    place = required(draft.place, "place", _("địa danh"))
    if draft.reply_by < draft.issued_on:
        raise DomainError(
            "oversight.reply_before_issue",
            _("Hạn báo cáo (%(reply_by)s) không được trước ngày ban hành (%(issued_on)s).")
            % {"reply_by": format_date(draft.reply_by), "issued_on": format_date(draft.issued_on)},
            field="reply_by",
        )
    if not may_issue_letters(draft.signer, draft.issuing_unit):
        raise DomainError(
            "oversight.signer_not_leader",
            _("%(signer)s không phải lãnh đạo của %(issuing_unit)s, không ký được công văn này.")
            % {"signer": draft.signer.full_name, "issuing_unit": draft.issuing_unit.name},
            field="signer",
        )
    if UrgingLetter.objects.filter(issuing_unit=draft.issuing_unit, number_symbol=number).exists():
        raise ConflictError(
            "oversight.letter_number_taken",
            _("Số, ký hiệu %(number)s đã dùng cho một công văn khác của đơn vị.")
            % {"number": number},
            field="number_symbol",
        )
    locked = [_open_task(task) for task in sorted(tasks, key=lambda t: t.pk)]
    for task in locked:
        if not task.lead_unit.path.startswith(draft.issuing_unit.path):
            raise DomainError(
                "oversight.task_outside_unit",
                _(
                    "Nhiệm vụ “%(task)s” do %(lead_unit)s chủ trì, không thuộc phạm vi "
                    "của %(issuing_unit)s."
                )
                % {
                    "task": task.title,
                    "lead_unit": task.lead_unit.name,
                    "issuing_unit": draft.issuing_unit.name,
                },
                field="tasks",
            )
    letter = UrgingLetter(
        issuing_unit=draft.issuing_unit,
        number_symbol=number,
        place=place,
        issued_on=draft.issued_on,
        subject=subject,
        opening=opening,
        closing=closing,
        reply_by=draft.reply_by,
        signer=draft.signer,
        signer_mark=draft.signer_mark.strip(),
        signer_position=position,
        recipients=standard_recipients(draft.recipients, number),
        created_by=actor,
    )
    clean(letter)
    letter.save()
    at = now()
    Urging.objects.bulk_create(
        [
            Urging(
                task=task,
                deadline=task.deadline,
                step=LadderStep.MANUAL,
                target_unit_id=task.lead_unit_id,
                target_person_id=task.officer_id,
                urged_by=actor,
                note=f"Công văn đôn đốc số {number} ngày {format_date(draft.issued_on)}",
                letter=letter,
                created_at=at,
            )
            for task in locked
        ]
    )
    notify(
        recipients=_manual_recipients(locked, today()),
        kind="oversight.letter",
        title=f"Công văn đôn đốc số {number}: {subject[:150]}",
        body=f"Đề nghị báo cáo trước ngày {format_date(draft.reply_by)}.",
        url=f"/giam-sat/cong-van/{letter.pk}/",
        object_type=OBJ_LETTER,
        object_id=letter.pk,
    )
    record_action(
        actor=actor,
        decision=decision,
        action="oversight.letter.issued",
        object_type=OBJ_LETTER,
        object_id=letter.pk,
        payload={
            "number_symbol": number,
            "issuing_unit_id": draft.issuing_unit.pk,
            "issued_on": draft.issued_on,
            "reply_by": draft.reply_by,
            "signer_id": draft.signer.pk,
            "task_ids": [task.pk for task in locked],
        },
    )
    return letter
