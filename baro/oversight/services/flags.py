"""Flags (dấu hiệu né tránh, đùn đẩy): raised by Baro itself (the detectors, the ladder's last
step), confirmed or dismissed by a person (an inspector, or a head above the flagged unit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from baro.core.errors import ConflictError, DomainError, NotFoundError
from baro.core.run import command
from baro.core.sql import insert_row
from baro.core.timeutil import now, today
from baro.ledger.services import record_action
from baro.notify.services import notify
from baro.org.models import Person, Unit
from baro.oversight.models import Flag, FlagEvidence, FlagKind, FlagStatus
from baro.oversight.people import inspectors_over
from baro.oversight.permissions import require_flag_decider, require_system
from baro.oversight.services.common import OBJ_FLAG, required
from baro.work.models import Task


@dataclass(frozen=True)
class EvidenceItem:
    """A task, a ledger event (by its id), or both, behind a flag."""

    task_id: int | None = None
    event_id: int | None = None
    note: str = ""


def insert_flag(
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
    """The flag's rows, or None when a flag with this key exists already (no event: the
    command that raises it records its own)."""
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


@command
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
    require_system(actor, _("phát hiện dấu hiệu né tránh"))
    if kind not in FlagKind.values:
        raise DomainError(
            "oversight.invalid_kind", _("Loại dấu hiệu “%(kind)s” không có.") % {"kind": kind}
        )
    if not evidence:
        raise DomainError("oversight.no_evidence", _("Dấu hiệu phải kèm chứng cứ."))
    flag = insert_flag(
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


@command
def flag_decide(*, actor: Person, flag: Flag, confirm: bool, reason: str) -> Flag:
    """Confirm (xác nhận) or dismiss (bác bỏ) an open flag, with a reason."""
    try:
        flag = (
            Flag.objects.select_for_update(of=("self",))
            .select_related("unit__parent")
            .get(pk=flag.pk)
        )
    except Flag.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy dấu hiệu.")) from exc
    decision = require_flag_decider(actor, flag)
    reason = required(reason, "reason", _("lý do"))
    if flag.status != FlagStatus.OPEN:
        raise ConflictError(
            "oversight.flag_decided",
            _("Dấu hiệu đã được %(label)s; không quyết định lại.")
            % {"label": FlagStatus(flag.status).label.lower()},
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
