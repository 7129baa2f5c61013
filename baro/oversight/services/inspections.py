"""Inspections (kiểm tra) of a unit or of a person in it, from planning to conclusion: the
flags and tasks they cite as evidence, their findings, and the handling decisions (xử lý) on
the people and units concerned, which the head's responsibility record then shows."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from baro.core.errors import ConflictError, DomainError, NotFoundError
from baro.core.run import command
from baro.core.timeutil import format_date, now, today
from baro.ledger.services import record_action
from baro.notify.services import notify
from baro.org.authority import Decision, positions_held
from baro.org.models import Person, Role, Unit
from baro.oversight.models import (
    Flag,
    HandlingDecision,
    HandlingMeasure,
    Inspection,
    InspectionEvidence,
    InspectionStatus,
)
from baro.oversight.people import ever_within, heads_of
from baro.oversight.permissions import (
    require_impartial,
    require_inspection_conductor,
    require_inspector,
)
from baro.oversight.services.common import OBJ_INSPECTION, clean, required
from baro.work.models import Task


def _locked_inspection(inspection: Inspection) -> Inspection:
    try:
        return (
            Inspection.objects.select_for_update()
            .select_related("target_unit")
            .get(pk=inspection.pk)
        )
    except Inspection.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy cuộc kiểm tra.")) from exc


def _still_open(inspection: Inspection) -> None:
    if inspection.status == InspectionStatus.CONCLUDED:
        raise ConflictError(
            "oversight.inspection_concluded",
            _("Cuộc kiểm tra đã kết luận; không sửa được nữa."),
        )


def _inspecting_body(actor: Person, decision: Decision, target_unit: Unit) -> Unit:
    """The body in whose name `actor` inspects: the unit where they work inside the remit their
    inspecting position (or delegation) covers, the most specific first; the remit's own unit
    when they hold no other position there. An inspector of the Thành ủy's inspection committee
    (Ủy ban Kiểm tra) has the whole city as remit, and inspects as that committee, not as the
    city."""
    if decision.position is not None:
        remit = decision.position.unit
    elif decision.delegation is not None:
        remit = decision.delegation.unit
    else:  # Baro's system actor
        return target_unit
    workplaces = [
        position.unit
        for position in positions_held(actor, today())
        if position.role != Role.INSPECTOR and position.unit.path.startswith(remit.path)
    ]
    if not workplaces:
        return remit
    return max(workplaces, key=lambda unit: (len(unit.path), -unit.pk))


@command
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
    decision = require_inspector(actor, target_unit)
    require_impartial(
        actor, target_unit, target_person, fields={"unit": "target_unit", "person": "target_person"}
    )
    title = required(title, "title", _("tên cuộc kiểm tra"))
    if period_to < period_from:
        raise DomainError(
            "oversight.period_reversed",
            _("Thời kỳ kiểm tra đến ngày %(period_to)s lại trước ngày bắt đầu %(period_from)s.")
            % {"period_to": format_date(period_to), "period_from": format_date(period_from)},
            field="period_to",
        )
    if target_person is not None and not ever_within(target_person, target_unit):
        raise DomainError(
            "oversight.person_outside_unit",
            _("%(target_person)s không công tác tại %(target_unit)s.")
            % {"target_person": target_person.full_name, "target_unit": target_unit.name},
            field="target_person",
        )
    inspecting_unit = _inspecting_body(actor, decision, target_unit)
    inspection = Inspection(
        inspecting_unit=inspecting_unit,
        target_unit=target_unit,
        target_person=target_person,
        title=title,
        period_from=period_from,
        period_to=period_to,
        created_by=actor,
    )
    clean(inspection)
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


@command
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
    decision = require_inspection_conductor(actor, inspection)
    _still_open(inspection)
    if (flag is None) == (task is None):
        raise DomainError(
            "oversight.evidence_one",
            _("Chọn đúng một dấu hiệu hoặc một nhiệm vụ làm chứng cứ."),
            field="flag",
        )
    if flag is not None and not flag.unit.path.startswith(inspection.target_unit.path):
        raise DomainError(
            "oversight.evidence_outside",
            _("Dấu hiệu này không thuộc đơn vị được kiểm tra."),
            field="flag",
        )
    if task is not None and not (
        task.lead_unit.path.startswith(inspection.target_unit.path)
        or task.assigning_unit.path.startswith(inspection.target_unit.path)
    ):
        raise DomainError(
            "oversight.evidence_outside",
            _("Nhiệm vụ này không do đơn vị được kiểm tra giao hay chủ trì."),
            field="task",
        )
    duplicate = InspectionEvidence.objects.filter(inspection=inspection)
    duplicate = duplicate.filter(flag=flag) if flag is not None else duplicate.filter(task=task)
    if duplicate.exists():
        raise ConflictError(
            "oversight.evidence_twice", _("Chứng cứ này đã có trong cuộc kiểm tra.")
        )
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


@command
def inspection_record_findings(
    *, actor: Person, inspection: Inspection, findings: str
) -> Inspection:
    """Record (or rewrite) what the inspection found so far."""
    inspection = _locked_inspection(inspection)
    decision = require_inspection_conductor(actor, inspection)
    _still_open(inspection)
    findings = required(findings, "findings", _("kết quả kiểm tra"))
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


@command
def inspection_conclude(*, actor: Person, inspection: Inspection, conclusion: str) -> Inspection:
    """Conclude an inspection (kết luận kiểm tra): final, the findings must be recorded."""
    inspection = _locked_inspection(inspection)
    decision = require_inspection_conductor(actor, inspection)
    _still_open(inspection)
    conclusion = required(conclusion, "conclusion", _("kết luận"))
    if not inspection.findings:
        raise DomainError(
            "oversight.findings_missing",
            _("Chưa ghi kết quả kiểm tra; ghi kết quả trước khi kết luận."),
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


@command
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
    """Record a handling decision of a concluded inspection on a person or a unit, with its
    document: the measure follows the conclusion, never precedes it."""
    inspection = _locked_inspection(inspection)
    decision = require_inspection_conductor(actor, inspection)
    if inspection.status != InspectionStatus.CONCLUDED:
        raise ConflictError(
            "oversight.inspection_not_concluded",
            _("Cuộc kiểm tra chưa kết luận; chỉ quyết định xử lý sau khi đã có kết luận."),
        )
    if measure not in HandlingMeasure.values:
        raise DomainError(
            "oversight.invalid_measure",
            _("Hình thức xử lý “%(measure)s” không có.") % {"measure": measure},
            field="measure",
        )
    number = required(document_number, "document_number", _("số văn bản xử lý"))
    reason = required(reason, "reason", _("lý do xử lý"))
    if document_date is None:
        raise DomainError(
            "oversight.field_required", _("Chưa nhập ngày văn bản xử lý."), field="document_date"
        )
    if document_date > today():
        raise DomainError(
            "oversight.document_in_future",
            _("Ngày văn bản (%(document_date)s) chưa tới.")
            % {"document_date": format_date(document_date)},
            field="document_date",
        )
    unit = unit or inspection.target_unit
    if not unit.path.startswith(inspection.target_unit.path):
        raise DomainError(
            "oversight.unit_outside",
            _("%(unit)s không thuộc đơn vị được kiểm tra.") % {"unit": unit.name},
            field="unit",
        )
    person = person if person is not None else inspection.target_person
    if person is not None and not ever_within(person, unit):
        raise DomainError(
            "oversight.person_outside_unit",
            _("%(person)s không công tác tại %(unit)s.")
            % {"person": person.full_name, "unit": unit.name},
            field="person",
        )
    require_impartial(actor, unit, person, fields={"unit": "unit", "person": "person"})
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
    clean(handling)
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
