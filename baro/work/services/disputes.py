"""Deciding an ownership dispute (tranh chấp thẩm quyền) opened by a refusal.

Who: only the current head of the lowest common superior, or a person that head delegated
dispute.decide to (the event then names the head as on_behalf_of)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from baro.core.errors import DomainError, NotFoundError
from baro.core.run import command
from baro.core.timeutil import now, today
from baro.ledger.services import record_action
from baro.org.models import Person, Unit, system_person
from baro.work.models import (
    Dispute,
    DisputeStatus,
    Extension,
    ExtensionStatus,
    TaskCoordinator,
)
from baro.work.permissions import (
    require_dispute_decider,
)
from baro.work.rules import TaskCommand
from baro.work.services import notices
from baro.work.services.common import (
    OBJ_DISPUTE,
    in_subtree,
    locked_task,
    require_active,
    require_state,
    required,
    save_task,
    task_state,
)


@command
def dispute_decide(*, actor: Person, dispute: Dispute, unit: Unit, reason: str) -> Dispute:
    """Decide which unit leads the disputed task; binding (that unit cannot refuse it again).

    Only the current head of the dispute's decider unit, or a person that head delegated
    dispute.decide to (recorded as acting on the head's behalf). `unit` is any active unit in
    the decider's subtree (a coordinator of the task included: its coordinating part ends);
    the task goes back to "chờ tiếp nhận" with `unit` as its lead.
    """
    decider_unit = Unit.objects.get(pk=dispute.decider_unit_id)
    require_dispute_decider(actor, decider_unit)
    task = locked_task(dispute.task)
    try:
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    except Dispute.DoesNotExist as exc:
        raise NotFoundError(_("Không tìm thấy tranh chấp.")) from exc
    decision = require_dispute_decider(actor, decider_unit)
    if dispute.status != DisputeStatus.OPEN:
        raise DomainError(
            "work.dispute_closed", _("Tranh chấp này đã được quyết định."), field="status"
        )
    target = require_state(task, TaskCommand.DECIDE_DISPUTE)
    reason = required(reason, "reason", _("lý do quyết định"))
    day = today()
    require_active(unit, day, "unit")
    if not in_subtree(unit, decider_unit):
        raise DomainError(
            "work.decided_outside",
            _(
                "%(unit)s không thuộc %(decider_unit)s: chỉ giao cho đơn vị trong phạm vi "
                "quản lý của người quyết định."
            )
            % {"unit": unit.name, "decider_unit": decider_unit.name},
            field="unit",
        )
    before = task_state(task)
    # The decider may give the lead to a unit that was coordinating: the decision binds, and a
    # unit cannot lead and coordinate the same task, so its coordinating part ends here (kept
    # in the event, so what it was asked to do is never lost).
    former_part = (
        TaskCoordinator.objects.filter(task=task, unit=unit)
        .values("unit_id", "part", "sub_deadline")
        .first()
    )
    if former_part is not None:
        TaskCoordinator.objects.filter(task=task, unit=unit).delete()
    dispute.status = DisputeStatus.DECIDED
    dispute.decided_unit = unit
    dispute.decision_reason = reason
    dispute.decided_by = actor
    dispute.decided_at = now()
    dispute.save(
        update_fields=["status", "decided_unit", "decision_reason", "decided_by", "decided_at"]
    )
    task.lead_unit = unit
    task.status = target
    officer_fields: list[str] = []
    closed: list[int] = []
    if unit.pk != before["lead_unit_id"]:
        if task.officer_id is not None:
            # The officer belonged to the old lead; the new lead names its own.
            task.officer = None
            officer_fields = ["officer"]
        # An extension the old lead asked for is not the new lead's request: closed as refused.
        pending = Extension.objects.filter(task=task, status=ExtensionStatus.REQUESTED)
        closed = list(pending.values_list("pk", flat=True))
        pending.update(
            status=ExtensionStatus.REFUSED,
            # Closed by Baro as a consequence of the decision (recorded in its event), not
            # decided on its merits; the decider may even be who asked for it.
            decided_by=system_person(),
            decided_at=now(),
            decision_note="Đơn vị chủ trì đã thay đổi theo quyết định tranh chấp.",
        )
    save_task(task, ["lead_unit", "status", *officer_fields])
    notices.tell_dispute_decided(actor, task, dispute)
    record_action(
        actor=actor,
        decision=decision,
        action="work.dispute.decided",
        object_type=OBJ_DISPUTE,
        object_id=dispute.pk,
        payload={
            "task_id": task.pk,
            "before": before,
            "after": task_state(task),
            "decided_unit_id": unit.pk,
            "reason": reason,
            "late": day > dispute.deadline,
            "extensions_closed": closed,
            "coordination_ended": former_part,
        },
    )
    return dispute
