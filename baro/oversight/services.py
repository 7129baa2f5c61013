"""Commands of oversight: the only code that changes ladders, urgings, flags and inspections.

Like baro.work.services, every public command is keyword-only, takes the acting `actor`, runs in
its own durable transaction, authorises first, validates (DomainError with a stable
`oversight.*` code, a Vietnamese message and the field at fault), writes, and appends exactly
one ledger event. Notifications are written to the outbox (baro.notify) in the same transaction
and delivered by the worker afterwards, so a failed delivery never blocks a command.

Who may do what:
- configure the ladder: for the installation, an administrator (registry.manage); for one
  directive, its issuing side (baro.work.permissions.require_directive_side);
- record a ladder step, raise a flag: only Baro's system actor (the worker) — steps and flags
  are what Baro notices by itself, never typed in by a person;
- urge by hand, issue an urging letter: task.assign over the task's lead unit (a leader of the
  assigning unit or above, or the lead unit's own head);
- confirm or dismiss a flag: an inspector (inspection.conduct over the flagged unit) or the head
  of a unit above it (dispute.decide over its parent); never on one's own unit or oneself;
- open an inspection, cite evidence, record findings, conclude, decide a handling measure:
  inspection.conduct over the inspected unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction

from baro.core.errors import AuthorityError, ConflictError, DomainError, NotFoundError
from baro.core.sql import insert_row, loaded, statements
from baro.core.timeutil import format_date, now, today
from baro.core.validation import clean_fields, required_text
from baro.ledger.models import LedgerEvent
from baro.ledger.services import record_action
from baro.notify.services import notify
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.models import Person, Unit
from baro.oversight.ladder import Ladder, validated_ladder
from baro.oversight.models import (
    Flag,
    FlagEvidence,
    FlagKind,
    FlagStatus,
    HandlingDecision,
    HandlingMeasure,
    Inspection,
    InspectionEvidence,
    InspectionStatus,
    LadderConfig,
    LadderStep,
    Urging,
    UrgingLetter,
)
from baro.oversight.people import heads_of, holds_position_within, inspectors_over
from baro.work.models import Directive, Task, TaskStatus
from baro.work.permissions import require_directive_side

OBJ_TASK = "work.task"
OBJ_LADDER = "oversight.ladder"
OBJ_LETTER = "oversight.letter"
OBJ_FLAG = "oversight.flag"
OBJ_INSPECTION = "oversight.inspection"

# The ladder runs while the task is with its lead unit. It waits while the result is with the
# assigner (submitted) or a dispute is with the common superior, which have deadlines of their
# own, and stops when the task is finished or cancelled.
LADDER_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)

_clean = partial(clean_fields, area="oversight")
_required = partial(required_text, area="oversight")

__all__ = [
    "LADDER_STATUSES",
    "EvidenceItem",
    "LadderCandidate",
    "flag_decide",
    "flag_raise",
    "handling_decide",
    "inspection_add_evidence",
    "inspection_conclude",
    "inspection_open",
    "inspection_record_findings",
    "ladder_configure",
    "ladder_step_record",
    "task_urge",
    "urging_letter_issue",
]


def _require_system(actor: Person, what: str) -> None:
    if not actor.is_system:
        raise AuthorityError(
            f"Chỉ Baro tự động {what}; không ai được ghi thay.", code="oversight.system_only"
        )


def _task_url(task_id: int) -> str:
    return f"/nhiem-vu/{task_id}/"


# --------------------------------------------------------------------------------------------
# the ladder's configuration


@transaction.atomic
def ladder_configure(
    *, actor: Person, directive: Directive | None = None, values: dict[str, Any]
) -> LadderConfig:
    """Set the ladder for the installation (directive None) or for one directive."""
    if directive is None:
        decision = authority.holds_anywhere(actor, Power.REGISTRY_MANAGE)
        if not decision:
            raise AuthorityError(
                "Chỉ quản trị hệ thống được đặt các bước đôn đốc chung.",
                code="oversight.ladder_denied",
            )
        scope = "installation"
    else:
        decision = require_directive_side(actor, directive.issuing_unit)
        scope = f"directive:{directive.pk}"
    ladder = validated_ladder(values)
    config = LadderConfig.objects.select_for_update().filter(scope=scope).first()
    before = _ladder_of(config).as_dict() if config else None
    if config is None:
        config = LadderConfig(scope=scope, directive=directive, updated_by=actor)
    for field, value in ladder.as_dict().items():
        setattr(config, field, value)
    config.updated_by = actor
    config.save()
    record_action(
        actor=actor,
        decision=decision,
        action="oversight.ladder.configured",
        object_type=OBJ_LADDER,
        object_id=scope,
        payload={"before": before, "after": ladder.as_dict()},
    )
    return config


def _ladder_of(config: LadderConfig) -> Ladder:
    return Ladder(
        remind_days_before=config.remind_days_before,
        escalate_head_after=config.escalate_head_after,
        escalate_assigner_head_after=config.escalate_assigner_head_after,
        inspection_flag_after=config.inspection_flag_after,
    )


# --------------------------------------------------------------------------------------------
# ladder steps (the worker)


@dataclass(frozen=True)
class LadderCandidate:
    """What the worker's scan read about a task whose step is due (one query for all)."""

    task_id: int
    deadline: dt.date
    title: str
    lead_unit_id: int
    assigning_unit_id: int
    officer_id: int | None
    lead_head_id: int | None
    assigning_head_id: int | None


_STEP_WORDS = {
    LadderStep.REMIND: "Nhắc: sắp đến hạn",
    LadderStep.URGE: "Đôn đốc: đã đến hạn",
    LadderStep.ESCALATE_HEAD: "Báo người đứng đầu: nhiệm vụ quá hạn",
    LadderStep.ESCALATE_ASSIGNER_HEAD: "Báo người đứng đầu đơn vị giao việc: nhiệm vụ quá hạn",
    LadderStep.INSPECTION_FLAG: "Đưa vào diện kiểm tra: nhiệm vụ quá hạn kéo dài",
}


def _step_target(candidate: LadderCandidate, step: str) -> tuple[int, int | None]:
    """(unit, person) a step is addressed to."""
    if step == LadderStep.REMIND:
        return candidate.lead_unit_id, candidate.officer_id or candidate.lead_head_id
    if step == LadderStep.URGE:
        return candidate.lead_unit_id, candidate.officer_id or candidate.lead_head_id
    if step == LadderStep.ESCALATE_ASSIGNER_HEAD:
        return candidate.assigning_unit_id, candidate.assigning_head_id
    return candidate.lead_unit_id, candidate.lead_head_id


# The step's urging row, written only while the task is still open at that deadline and the
# step not yet recorded for it: one statement, where a read, a check and an insert were three.
# The unique (task, deadline, step) index decides between two workers (DO NOTHING: the later
# one finds no row returned). On PostgreSQL the task row is locked first, so that a task being
# finished or extended meanwhile is seen as it is after that command; SQLite's IMMEDIATE
# transaction already excludes every other writer. A test checks the columns against the model.
_LOCK_TASK = 'SELECT 1 FROM "work_task" WHERE "id" = %s FOR UPDATE'
_INSERT_STEP = (
    'INSERT INTO "oversight_urging" ("task_id", "deadline", "step", "target_unit_id", '
    '"target_person_id", "urged_by_id", "note", "letter_id", "created_at") '
    'SELECT t."id", t."deadline", %s, %s, %s, %s, %s, NULL, %s FROM "work_task" t '
    'WHERE t."id" = %s AND t."deadline" = %s AND t."status" IN (%s, %s) '
    'ON CONFLICT ("task_id", "deadline", "step") WHERE NOT ("step" = \'manual\') DO NOTHING '
    'RETURNING "id"'
)


@transaction.atomic
def ladder_step_record(
    *,
    actor: Person,
    candidate: LadderCandidate,
    step: str,
    people: dict[int, Person],
    inspectors: Sequence[Person] = (),
) -> Urging | None:
    """Record one due ladder step of one task, once: None (and no event) when the task moved
    on meanwhile (finished, extended, submitted) or another worker already recorded it.

    `people` holds the Person rows of the candidate's officer and heads (the worker loads them
    in bulk); `inspectors` are told of an inspection flag.
    """
    _require_system(actor, "ghi các bước đôn đốc")
    if step not in _STEP_WORDS:
        raise DomainError("oversight.invalid_step", f"Bước “{step}” không có trong thang đôn đốc.")
    unit_id, person_id = _step_target(candidate, step)
    at = now()
    connection = transaction.get_connection()  # the wrapper itself, not the per-use proxy
    ops = connection.ops
    deadline = ops.adapt_datefield_value(candidate.deadline)
    with statements(connection) as run:
        if connection.features.has_select_for_update:
            run.execute(_LOCK_TASK, [candidate.task_id])
        row = run.execute(
            _INSERT_STEP,
            [
                step,
                unit_id,
                person_id,
                actor.pk,
                _STEP_WORDS[step],
                ops.adapt_datetimefield_value(at),
                candidate.task_id,
                deadline,
                *LADDER_STATUSES,
            ],
        ).fetchone()
    if row is None:  # finished, extended or submitted meanwhile, or recorded by another worker
        return None
    urging = loaded(
        Urging,
        connection.alias,
        id=row[0],
        task_id=candidate.task_id,
        deadline=candidate.deadline,
        step=step,
        target_unit_id=unit_id,
        target_person_id=person_id,
        urged_by=actor,
        note=_STEP_WORDS[step],
        letter_id=None,
        created_at=at,
    )
    payload: dict[str, Any] = {
        "step": step,
        "deadline": candidate.deadline,
        "target_unit_id": unit_id,
        "target_person_id": person_id,
        "urging_id": urging.pk,
    }
    recipients = [people[person_id]] if person_id in people else []
    if step == LadderStep.INSPECTION_FLAG:
        flag = _insert_flag(
            actor=actor,
            kind=FlagKind.LADDER_INSPECTION,
            dedupe_key=f"ladder:{candidate.task_id}:{candidate.deadline.isoformat()}",
            unit_id=candidate.lead_unit_id,
            person_id=candidate.lead_head_id,
            task_id=candidate.task_id,
            summary=(
                f"Nhiệm vụ “{candidate.title}” quá hạn từ {format_date(candidate.deadline)} "
                "đã qua các bước đôn đốc mà chưa hoàn thành."
            ),
            figures={"deadline": candidate.deadline.isoformat()},
            evidence=[EvidenceItem(task_id=candidate.task_id, note="Nhiệm vụ quá hạn")],
        )
        if flag is not None:
            payload["flag_id"] = flag.pk
        recipients += list(inspectors)
    notify(
        recipients=recipients,
        kind=f"oversight.{step}",
        title=f"{_STEP_WORDS[step]} — {candidate.title[:150]}",
        body=(
            f"Nhiệm vụ “{candidate.title}”, hạn {format_date(candidate.deadline)}. "
            f"{LadderStep(step).label}."
        ),
        url=_task_url(candidate.task_id),
        object_type=OBJ_TASK,
        object_id=candidate.task_id,
    )
    record_action(
        actor=actor,
        decision=None,
        action=f"oversight.ladder.{step}",
        object_type=OBJ_TASK,
        object_id=candidate.task_id,
        payload=payload,
    )
    return urging


# --------------------------------------------------------------------------------------------
# urging by hand and urging letters


def _require_urger(actor: Person, task: Task) -> Decision:
    return authority.require(actor, Power.TASK_ASSIGN, task.lead_unit)


def _open_task(task: Task) -> Task:
    try:
        locked = (
            Task.objects.select_for_update(of=("self",))
            .select_related("lead_unit", "assigning_unit", "officer")
            .get(pk=task.pk)
        )
    except Task.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy nhiệm vụ.") from exc
    if locked.status in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
        raise DomainError(
            "oversight.task_closed",
            f"Nhiệm vụ đã ở trạng thái “{TaskStatus(locked.status).label}”, không cần đôn đốc.",
            field="task",
        )
    return locked


def _manual_recipients(tasks: Iterable[Task], day: dt.date) -> list[Person]:
    tasks = list(tasks)
    heads = heads_of({t.lead_unit_id for t in tasks}, day)
    found: dict[int, Person] = {}
    for task in tasks:
        if task.officer_id is not None:
            found[task.officer_id] = task.officer
        head = heads.get(task.lead_unit_id)
        if head is not None:
            found[head.pk] = head
    return list(found.values())


@transaction.atomic
def task_urge(*, actor: Person, task: Task, note: str) -> Urging:
    """A leader urges a task by hand (đôn đốc trực tiếp), with what is asked."""
    decision = _require_urger(actor, task)
    note = _required(note, "note", "nội dung đôn đốc")
    locked = _open_task(task)
    if locked.lead_unit_id != task.lead_unit_id:  # a dispute decision moved the lead meanwhile
        decision = _require_urger(actor, locked)
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
        url=_task_url(task.pk),
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


@transaction.atomic
def urging_letter_issue(
    *, actor: Person, draft: LetterDraft, tasks: Sequence[Task]
) -> UrgingLetter:
    """Issue an official urging letter (công văn đôn đốc) on `tasks`: the letter, and one
    urging by hand per task citing it, as one action."""
    decision = authority.require(actor, Power.TASK_ASSIGN, draft.issuing_unit)
    if not tasks:
        raise DomainError(
            "oversight.letter_no_tasks", "Chưa chọn nhiệm vụ nào để đôn đốc.", field="tasks"
        )
    number = _required(draft.number_symbol, "number_symbol", "số, ký hiệu văn bản")
    subject = _required(draft.subject, "subject", "trích yếu")
    opening = _required(draft.opening, "opening", "nội dung căn cứ, tình hình")
    closing = _required(draft.closing, "closing", "nội dung yêu cầu")
    position = _required(draft.signer_position, "signer_position", "chức vụ người ký")
    place = _required(draft.place, "place", "địa danh")
    if draft.reply_by < draft.issued_on:
        raise DomainError(
            "oversight.reply_before_issue",
            f"Hạn báo cáo ({format_date(draft.reply_by)}) không được trước ngày ban hành "
            f"({format_date(draft.issued_on)}).",
            field="reply_by",
        )
    if not authority.check(draft.signer, Power.TASK_ASSIGN, draft.issuing_unit):
        raise DomainError(
            "oversight.signer_not_leader",
            f"{draft.signer.full_name} không phải lãnh đạo của {draft.issuing_unit.name}, "
            "không ký được công văn này.",
            field="signer",
        )
    if UrgingLetter.objects.filter(issuing_unit=draft.issuing_unit, number_symbol=number).exists():
        raise ConflictError(
            "oversight.letter_number_taken",
            f"Số, ký hiệu {number} đã dùng cho một công văn khác của đơn vị.",
            field="number_symbol",
        )
    locked = [_open_task(task) for task in sorted(tasks, key=lambda t: t.pk)]
    for task in locked:
        if not task.lead_unit.path.startswith(draft.issuing_unit.path):
            raise DomainError(
                "oversight.task_outside_unit",
                f"Nhiệm vụ “{task.title}” do {task.lead_unit.name} chủ trì, không thuộc phạm vi "
                f"của {draft.issuing_unit.name}.",
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
        recipients=draft.recipients.strip(),
        created_by=actor,
    )
    _clean(letter)
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


# --------------------------------------------------------------------------------------------
# flags


@dataclass(frozen=True)
class EvidenceItem:
    """A task, a ledger event (by its id), or both, behind a flag."""

    task_id: int | None = None
    event_id: int | None = None
    note: str = ""


def _insert_flag(
    *,
    actor: Person,
    kind: str,
    dedupe_key: str,
    unit_id: int,
    person_id: int | None,
    task_id: int | None,
    summary: str,
    figures: dict[str, Any],
    evidence: Sequence[EvidenceItem],
) -> Flag | None:
    """The flag's rows, or None when a flag with this key exists already."""
    if Flag.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        # Another worker may insert the same key between the check and here: on PostgreSQL
        # the unique index makes this insert wait for it and then fail; that is "raised".
        with transaction.atomic():
            flag = insert_row(
                Flag(
                    kind=kind,
                    status=FlagStatus.OPEN,
                    dedupe_key=dedupe_key,
                    unit_id=unit_id,
                    person_id=person_id,
                    task_id=task_id,
                    summary=summary,
                    figures=figures,
                    raised_at=now(),
                    raised_by=actor,
                ),
                related=("raised_by",),
            )
    except IntegrityError:
        return None
    FlagEvidence.objects.bulk_create(
        [
            FlagEvidence(flag=flag, task_id=item.task_id, event_id=item.event_id, note=item.note)
            for item in evidence
        ]
    )
    return flag


@transaction.atomic
def flag_raise(
    *,
    actor: Person,
    kind: str,
    dedupe_key: str,
    unit: Unit,
    summary: str,
    evidence: Sequence[EvidenceItem],
    person: Person | None = None,
    task: Task | None = None,
    figures: dict[str, Any] | None = None,
) -> Flag | None:
    """Raise a flag once per `dedupe_key`: None (and no event) when it was raised before."""
    _require_system(actor, "phát hiện dấu hiệu né tránh")
    if kind not in FlagKind.values:
        raise DomainError("oversight.invalid_kind", f"Loại dấu hiệu “{kind}” không có.")
    if not evidence:
        raise DomainError("oversight.no_evidence", "Dấu hiệu phải kèm chứng cứ.")
    flag = _insert_flag(
        actor=actor,
        kind=kind,
        dedupe_key=dedupe_key,
        unit_id=unit.pk,
        person_id=person.pk if person else None,
        task_id=task.pk if task else None,
        summary=summary,
        figures=figures or {},
        evidence=evidence,
    )
    if flag is None:
        return None
    notify(
        recipients=inspectors_over(unit, today()),
        kind="oversight.flag",
        title=f"Dấu hiệu né tránh: {FlagKind(kind).label} — {unit.name}",
        body=summary,
        url=f"/giam-sat/dau-hieu/{flag.pk}/",
        object_type=OBJ_FLAG,
        object_id=flag.pk,
    )
    record_action(
        actor=actor,
        decision=None,
        action="oversight.flag.raised",
        object_type=OBJ_FLAG,
        object_id=flag.pk,
        payload={
            "kind": kind,
            "dedupe_key": dedupe_key,
            "unit_id": unit.pk,
            "person_id": flag.person_id,
            "task_id": flag.task_id,
            "summary": summary,
            "figures": flag.figures,
            "evidence": [
                {"task_id": item.task_id, "event_id": item.event_id, "note": item.note}
                for item in evidence
            ],
        },
    )
    return flag


def require_flag_decider(actor: Person, flag: Flag) -> Decision:
    """An inspector over the flagged unit, or the head of a unit above it — not its own people."""
    if actor.is_system:
        raise AuthorityError(
            "Xác nhận hay bác bỏ dấu hiệu là quyết định của con người.",
            code="oversight.system_cannot_decide",
        )
    if flag.person_id == actor.pk or holds_position_within(actor, flag.unit, today()):
        raise AuthorityError(
            "Không được tự xác nhận hay bác bỏ dấu hiệu về chính mình hoặc đơn vị mình công tác.",
            code="oversight.own_unit",
        )
    decision = authority.check(actor, Power.INSPECTION_CONDUCT, flag.unit)
    if decision:
        return decision
    parent = flag.unit.parent
    if parent is not None:
        decision = authority.check(actor, Power.DISPUTE_DECIDE, parent)
        if decision:
            return decision
    raise AuthorityError(
        f"Chỉ cán bộ kiểm tra hoặc người đứng đầu cấp trên của {flag.unit.name} được xác nhận "
        "hay bác bỏ dấu hiệu này.",
        code="oversight.flag_denied",
    )


@transaction.atomic
def flag_decide(*, actor: Person, flag: Flag, confirm: bool, reason: str) -> Flag:
    """Confirm (xác nhận) or dismiss (bác bỏ) an open flag, with a reason."""
    try:
        flag = (
            Flag.objects.select_for_update(of=("self",))
            .select_related("unit__parent")
            .get(pk=flag.pk)
        )
    except Flag.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy dấu hiệu.") from exc
    decision = require_flag_decider(actor, flag)
    reason = _required(reason, "reason", "lý do")
    if flag.status != FlagStatus.OPEN:
        raise ConflictError(
            "oversight.flag_decided",
            f"Dấu hiệu đã được {FlagStatus(flag.status).label.lower()}; không quyết định lại.",
        )
    flag.status = FlagStatus.CONFIRMED if confirm else FlagStatus.DISMISSED
    flag.decided_by = actor
    flag.decided_at = now()
    flag.decision_reason = reason
    flag.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record_action(
        actor=actor,
        decision=decision,
        action="oversight.flag.confirmed" if confirm else "oversight.flag.dismissed",
        object_type=OBJ_FLAG,
        object_id=flag.pk,
        payload={"status": flag.status, "reason": reason},
    )
    return flag


# --------------------------------------------------------------------------------------------
# inspections and handling decisions


def _require_inspector(actor: Person, unit: Unit) -> Decision:
    decision = authority.check(actor, Power.INSPECTION_CONDUCT, unit)
    if not decision:
        raise AuthorityError(
            f"Chỉ cán bộ có thẩm quyền kiểm tra đối với {unit.name} được làm việc này.",
            code="oversight.inspection_denied",
        )
    return decision


def _locked_inspection(inspection: Inspection) -> Inspection:
    try:
        return (
            Inspection.objects.select_for_update()
            .select_related("target_unit")
            .get(pk=inspection.pk)
        )
    except Inspection.DoesNotExist as exc:
        raise NotFoundError("Không tìm thấy cuộc kiểm tra.") from exc


def _still_open(inspection: Inspection) -> None:
    if inspection.status == InspectionStatus.CONCLUDED:
        raise ConflictError(
            "oversight.inspection_concluded",
            "Cuộc kiểm tra đã kết luận; không sửa được nữa.",
        )


@transaction.atomic
def inspection_open(
    *,
    actor: Person,
    target_unit: Unit,
    title: str,
    period_from: dt.date,
    period_to: dt.date,
    target_person: Person | None = None,
) -> Inspection:
    """Plan an inspection of a unit (and, optionally, of one person in it) over a period."""
    decision = _require_inspector(actor, target_unit)
    title = _required(title, "title", "tên cuộc kiểm tra")
    if period_to < period_from:
        raise DomainError(
            "oversight.period_reversed",
            f"Thời kỳ kiểm tra đến ngày {format_date(period_to)} lại trước ngày bắt đầu "
            f"{format_date(period_from)}.",
            field="period_to",
        )
    if target_person is not None and not _ever_within(target_person, target_unit):
        raise DomainError(
            "oversight.person_outside_unit",
            f"{target_person.full_name} không công tác tại {target_unit.name}.",
            field="target_person",
        )
    assert decision.position is not None or actor.is_system
    inspecting_unit = decision.position.unit if decision.position else target_unit
    inspection = Inspection(
        inspecting_unit=inspecting_unit,
        target_unit=target_unit,
        target_person=target_person,
        title=title,
        period_from=period_from,
        period_to=period_to,
        created_by=actor,
    )
    _clean(inspection)
    inspection.save()
    record_action(
        actor=actor,
        decision=decision,
        action="oversight.inspection.opened",
        object_type=OBJ_INSPECTION,
        object_id=inspection.pk,
        payload={
            "title": title,
            "target_unit_id": target_unit.pk,
            "target_person_id": target_person.pk if target_person else None,
            "period_from": period_from,
            "period_to": period_to,
            "inspecting_unit_id": inspecting_unit.pk,
        },
    )
    return inspection


def _ever_within(person: Person, unit: Unit) -> bool:
    from baro.org.models import Position

    return Position.objects.filter(person=person, unit__path__startswith=unit.path).exists()


@transaction.atomic
def inspection_add_evidence(
    *,
    actor: Person,
    inspection: Inspection,
    flag: Flag | None = None,
    task: Task | None = None,
    note: str = "",
) -> InspectionEvidence:
    """Cite a flag or a task as evidence of an inspection (once each)."""
    inspection = _locked_inspection(inspection)
    decision = _require_inspector(actor, inspection.target_unit)
    _still_open(inspection)
    if (flag is None) == (task is None):
        raise DomainError(
            "oversight.evidence_one",
            "Chọn đúng một dấu hiệu hoặc một nhiệm vụ làm chứng cứ.",
            field="flag",
        )
    if flag is not None and not flag.unit.path.startswith(inspection.target_unit.path):
        raise DomainError(
            "oversight.evidence_outside",
            "Dấu hiệu này không thuộc đơn vị được kiểm tra.",
            field="flag",
        )
    if task is not None and not (
        task.lead_unit.path.startswith(inspection.target_unit.path)
        or task.assigning_unit.path.startswith(inspection.target_unit.path)
    ):
        raise DomainError(
            "oversight.evidence_outside",
            "Nhiệm vụ này không do đơn vị được kiểm tra giao hay chủ trì.",
            field="task",
        )
    duplicate = InspectionEvidence.objects.filter(inspection=inspection)
    duplicate = duplicate.filter(flag=flag) if flag is not None else duplicate.filter(task=task)
    if duplicate.exists():
        raise ConflictError("oversight.evidence_twice", "Chứng cứ này đã có trong cuộc kiểm tra.")
    evidence = InspectionEvidence.objects.create(
        inspection=inspection, flag=flag, task=task, added_by=actor, note=note.strip()[:300]
    )
    record_action(
        actor=actor,
        decision=decision,
        action="oversight.inspection.evidence_added",
        object_type=OBJ_INSPECTION,
        object_id=inspection.pk,
        payload={
            "flag_id": flag.pk if flag else None,
            "task_id": task.pk if task else None,
            "note": evidence.note,
        },
    )
    return evidence


@transaction.atomic
def inspection_record_findings(
    *, actor: Person, inspection: Inspection, findings: str
) -> Inspection:
    """Record (or rewrite) what the inspection found so far."""
    inspection = _locked_inspection(inspection)
    decision = _require_inspector(actor, inspection.target_unit)
    _still_open(inspection)
    findings = _required(findings, "findings", "kết quả kiểm tra")
    before = inspection.findings
    inspection.findings = findings
    inspection.save(update_fields=["findings"])
    record_action(
        actor=actor,
        decision=decision,
        action="oversight.inspection.findings_recorded",
        object_type=OBJ_INSPECTION,
        object_id=inspection.pk,
        payload={"before": before, "after": findings},
    )
    return inspection


@transaction.atomic
def inspection_conclude(*, actor: Person, inspection: Inspection, conclusion: str) -> Inspection:
    """Conclude an inspection (kết luận kiểm tra): final, the findings must be recorded."""
    inspection = _locked_inspection(inspection)
    decision = _require_inspector(actor, inspection.target_unit)
    _still_open(inspection)
    conclusion = _required(conclusion, "conclusion", "kết luận")
    if not inspection.findings:
        raise DomainError(
            "oversight.findings_missing",
            "Chưa ghi kết quả kiểm tra; ghi kết quả trước khi kết luận.",
            field="conclusion",
        )
    inspection.status = InspectionStatus.CONCLUDED
    inspection.conclusion = conclusion
    inspection.concluded_by = actor
    inspection.concluded_at = now()
    inspection.save(update_fields=["status", "conclusion", "concluded_by", "concluded_at"])
    recipients = heads_of([inspection.target_unit_id], today())
    people = list(recipients.values())
    if inspection.target_person is not None:
        people.append(inspection.target_person)
    notify(
        recipients=people,
        kind="oversight.inspection_concluded",
        title=f"Kết luận kiểm tra: {inspection.title[:150]}",
        body=conclusion[:500],
        url=f"/giam-sat/kiem-tra/{inspection.pk}/",
        object_type=OBJ_INSPECTION,
        object_id=inspection.pk,
    )
    record_action(
        actor=actor,
        decision=decision,
        action="oversight.inspection.concluded",
        object_type=OBJ_INSPECTION,
        object_id=inspection.pk,
        payload={"conclusion": conclusion},
    )
    return inspection


@transaction.atomic
def handling_decide(
    *,
    actor: Person,
    inspection: Inspection,
    measure: str,
    document_number: str,
    document_date: dt.date | None,
    reason: str,
    person: Person | None = None,
    unit: Unit | None = None,
) -> HandlingDecision:
    """Record a handling decision of an inspection on a person or a unit, with its document."""
    inspection = _locked_inspection(inspection)
    decision = _require_inspector(actor, inspection.target_unit)
    if measure not in HandlingMeasure.values:
        raise DomainError(
            "oversight.invalid_measure", f"Hình thức xử lý “{measure}” không có.", field="measure"
        )
    number = _required(document_number, "document_number", "số văn bản xử lý")
    reason = _required(reason, "reason", "lý do xử lý")
    if document_date is None:
        raise DomainError(
            "oversight.field_required", "Chưa nhập ngày văn bản xử lý.", field="document_date"
        )
    if document_date > today():
        raise DomainError(
            "oversight.document_in_future",
            f"Ngày văn bản ({format_date(document_date)}) chưa tới.",
            field="document_date",
        )
    unit = unit or inspection.target_unit
    if not unit.path.startswith(inspection.target_unit.path):
        raise DomainError(
            "oversight.unit_outside",
            f"{unit.name} không thuộc đơn vị được kiểm tra.",
            field="unit",
        )
    person = person if person is not None else inspection.target_person
    if person is not None and not _ever_within(person, unit):
        raise DomainError(
            "oversight.person_outside_unit",
            f"{person.full_name} không công tác tại {unit.name}.",
            field="person",
        )
    handling = HandlingDecision(
        inspection=inspection,
        unit=unit,
        person=person,
        measure=measure,
        document_number=number,
        document_date=document_date,
        reason=reason,
        decided_by=actor,
    )
    _clean(handling)
    handling.save()
    notify(
        recipients=[person] if person else list(heads_of([unit.pk], today()).values()),
        kind="oversight.handling",
        title=f"Quyết định xử lý: {HandlingMeasure(measure).label} — {unit.name}",
        body=f"Văn bản số {number} ngày {format_date(document_date)}. {reason[:400]}",
        url=f"/giam-sat/kiem-tra/{inspection.pk}/",
        object_type=OBJ_INSPECTION,
        object_id=inspection.pk,
    )
    record_action(
        actor=actor,
        decision=decision,
        action="oversight.handling.decided",
        object_type=OBJ_INSPECTION,
        object_id=inspection.pk,
        payload={
            "handling_id": handling.pk,
            "measure": measure,
            "unit_id": unit.pk,
            "person_id": person.pk if person else None,
            "document_number": number,
            "document_date": document_date,
            "reason": reason,
        },
    )
    return handling


def event_ids_for(object_type: str, object_id: int | str, actions: Iterable[str]) -> list[int]:
    """Ledger event ids of `actions` on an object, oldest first (evidence for detectors)."""
    return list(
        LedgerEvent.objects.filter(
            object_type=object_type, object_id=str(object_id), action__in=list(actions)
        )
        .order_by("seq")
        .values_list("pk", flat=True)
    )
