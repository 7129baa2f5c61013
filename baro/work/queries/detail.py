"""Reads about one task: its open dispute, pending extension and history. Who may see a task
or a directive, and the `<thing>_get_for_actor` the pages and the API fetch through, are in
baro.work.permissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from baro.ledger.models import LedgerEvent
from baro.org.history import readable
from baro.org.models import Unit
from baro.org.queries import predecessor_ids
from baro.org.succession import mentions
from baro.work.models import (
    Attachment,
    Dispute,
    DisputeStatus,
    Extension,
    ExtensionStatus,
    InputRequest,
    Task,
    TaskCoordinator,
)

__all__ = [
    "DISPUTE_UNITS",
    "CoordinatorSilence",
    "Submission",
    "binding_decision",
    "coordinators_without_input",
    "latest_submission",
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
    """The decided dispute that binds the task's current lead, if any: one that named the lead,
    or a unit whose responsibilities went to the lead (a merger or a closing with a successor,
    followed through org's recorded successions). The lead may not refuse the task again.

    The decision itself is not rewritten when its unit merges (decided_unit stays the unit the
    decider named: the history stays as it was decided); the binding follows the succession,
    as the task did. Only a dispute decision or a carry-over changes a task's lead, and a bound
    lead cannot refuse, so a lead that succeeds the unit named holds the task by that carry."""
    decided = list(
        Dispute.objects.filter(task=task, status=DisputeStatus.DECIDED)
        .select_related("decided_unit")
        .order_by("-decided_at", "-pk")
    )
    if not decided:
        return None
    bound = {task.lead_unit_id}
    if any(dispute.decided_unit_id != task.lead_unit_id for dispute in decided):
        bound |= predecessor_ids(task.lead_unit_id)
    return next((dispute for dispute in decided if dispute.decided_unit_id in bound), None)


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
    """Ledger events about the task and everything bound to it, newest first: a merger of
    units that carried it to a successor included (baro.org.succession)."""
    condition = Q(object_type="work.task", object_id=str(task.pk)) | mentions(
        f"work.task:{task.pk}"
    )
    for object_type, relation in _TASK_BOUND_OBJECTS:
        ids = [str(pk) for pk in getattr(task, relation).values_list("pk", flat=True)]
        if ids:
            condition |= Q(object_type=object_type, object_id__in=ids)
    return LedgerEvent.objects.filter(condition).order_by("-seq")


# --------------------------------------------------------------------------------------------
# what the approver reads before deciding


@dataclass(frozen=True)
class Submission:
    """The latest result the lead submitted: its note, who submitted it and when (read from the
    ledger event of the submission, the record of what was submitted), and the task's own files
    (those not bound to a report or a request)."""

    note: str
    by: str
    at: dt.datetime
    files: list[Attachment]


def latest_submission(task: Task) -> Submission | None:
    """The task's latest submission of its result, or None if it was never submitted."""
    event = (
        LedgerEvent.objects.filter(
            object_type="work.task", object_id=str(task.pk), action="work.task.submitted"
        )
        .order_by("-seq")
        .first()
    )
    if event is None:
        return None
    [event] = readable([event])
    files = list(
        Attachment.objects.filter(
            task=task,
            progress_report__isnull=True,
            guidance_request__isnull=True,
            input_request__isnull=True,
        )
        .select_related("uploaded_by")
        .order_by("pk")
    )
    return Submission(
        note=str(event.payload.get("note") or ""),
        by=str(event.actor_name),  # type: ignore[attr-defined]
        at=event.occurred_at,
        files=files,
    )


@dataclass(frozen=True)
class CoordinatorSilence:
    """A coordinating unit that gave the lead no input on the task.

    asked     whether the lead asked it at all (an input request); when it did, due_on is the
              latest request's due date and silent says that date has passed (silence then
              counts as agreement, and the silent unit answers for it: Công điện 280/CĐ-TTg)
    """

    unit: Unit
    asked: bool
    due_on: dt.date | None
    silent: bool


def coordinators_without_input(task: Task, today: dt.date) -> list[CoordinatorSilence]:
    """The task's coordinating units that answered none of the lead's input requests (or were
    never asked), in the order they were named: what the approver is warned of."""
    answered: set[int] = set()
    latest_due: dict[int, dt.date] = {}
    for unit_id, answered_at, due_on in InputRequest.objects.filter(task=task).values_list(
        "unit_id", "answered_at", "due_on"
    ):
        if answered_at is not None:
            answered.add(unit_id)
        elif unit_id not in latest_due or due_on > latest_due[unit_id]:
            latest_due[unit_id] = due_on
    rows = []
    for coordinator in (
        TaskCoordinator.objects.filter(task=task).select_related("unit").order_by("pk")
    ):
        if coordinator.unit_id in answered:
            continue
        due = latest_due.get(coordinator.unit_id)
        rows.append(
            CoordinatorSilence(
                unit=coordinator.unit,
                asked=due is not None,
                due_on=due,
                silent=due is not None and today > due,
            )
        )
    return rows
