"""Reads about one task: its open dispute, pending extension and history. Who may see a task
or a directive, and the `<thing>_get_for_actor` the pages and the API fetch through, are in
baro.work.permissions."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from baro.ledger.models import LedgerEvent
from baro.work.models import (
    Dispute,
    DisputeStatus,
    Extension,
    ExtensionStatus,
    Task,
)

__all__ = [
    "DISPUTE_UNITS",
    "binding_decision",
    "open_dispute",
    "pending_extension",
    "task_history",
]

# The units a dispute names, loaded with it wherever it is shown.
DISPUTE_UNITS = ("refusing_unit", "proposed_unit", "decider_unit", "decided_unit")


def open_dispute(task: Task) -> Dispute | None:
    """The task's open ownership dispute, if any (at most one: a database constraint)."""
    return (
        Dispute.objects.filter(task=task, status=DisputeStatus.OPEN)
        .select_related("decider_unit", "proposed_unit", "refusing_unit")
        .first()
    )


def binding_decision(task: Task) -> Dispute | None:
    """The decided dispute that named the task's current lead, if any: that decision binds the
    lead, which may not refuse the task again."""
    return (
        Dispute.objects.filter(
            task=task, status=DisputeStatus.DECIDED, decided_unit_id=task.lead_unit_id
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


def pending_extension(task: Task) -> Extension | None:
    """The task's extension request waiting for a decision, if any (at most one)."""
    return Extension.objects.filter(task=task, status=ExtensionStatus.REQUESTED).first()


# Each kind of object whose ledger events belong on a task's history, with the reverse relation
# from the task that finds its ids. New kinds of task-bound objects are added here, once.
_TASK_BOUND_OBJECTS = (
    ("work.extension", "extensions"),
    ("work.dispute", "disputes"),
    ("work.input_request", "input_requests"),
    ("work.guidance_request", "guidance_requests"),
    ("work.attachment", "attachments"),
)


def task_history(task: Task) -> QuerySet[LedgerEvent]:
    """Ledger events about the task and everything bound to it, newest first."""
    condition = Q(object_type="work.task", object_id=str(task.pk))
    for object_type, relation in _TASK_BOUND_OBJECTS:
        ids = [str(pk) for pk in getattr(task, relation).values_list("pk", flat=True)]
        if ids:
            condition |= Q(object_type=object_type, object_id__in=ids)
    return LedgerEvent.objects.filter(condition).order_by("-seq")
