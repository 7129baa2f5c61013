"""Reads about one task or directive: who may see it, its open dispute, pending extension and
history. Pages, the API and the collaboration panels all decide visibility here, so a task
never shows in one and hides in another.

Each thing has one `<thing>_get_for_actor(actor, pk)`: the row if the actor may see it, else
NotFoundError (a 404 on a page and in the API alike: what one may not see is not found, not
forbidden). The pages and the API fetch through them before any command runs.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from baro.core.errors import NotFoundError
from baro.core.sql import row_by
from baro.core.timeutil import now, today
from baro.ledger.models import LedgerEvent
from baro.org import authority
from baro.org.models import PATH_SEPARATOR, Delegation, Person, Position, Unit
from baro.org.queries import active_on
from baro.work.models import (
    Attachment,
    Directive,
    Dispute,
    DisputeStatus,
    Extension,
    ExtensionStatus,
    GuidanceRequest,
    InputRequest,
    Task,
    TaskCoordinator,
)

__all__ = [
    "DISPUTE_UNITS",
    "actor_units",
    "attachment_get_for_actor",
    "directive_get_for_actor",
    "directives_visible_to",
    "dispute_get_for_actor",
    "extension_get_for_actor",
    "guidance_request_get_for_actor",
    "input_request_get_for_actor",
    "open_dispute",
    "pending_extension",
    "task_get_for_actor",
    "task_history",
    "task_visible",
]

# The units a dispute names, loaded with it wherever it is shown.
DISPUTE_UNITS = ("refusing_unit", "proposed_unit", "decider_unit", "decided_unit")


def _actor_unit_ids(actor: Person) -> set[int]:
    """Units where `actor` holds a position today or a current delegation (one query)."""
    at = now()
    positions = (
        Position.objects.filter(active_on(today()), person=actor)
        .order_by()
        .values_list("unit_id", flat=True)
    )
    delegations = (
        Delegation.objects.filter(
            delegate=actor, valid_from__lte=at, valid_to__gt=at, revoked_at__isnull=True
        )
        .order_by()
        .values_list("unit_id", flat=True)
    )
    return set(positions.union(delegations))


def actor_units(actor: Person) -> list[Unit]:
    """Units where `actor` holds a position today or a current delegation, outermost first."""
    return list(Unit.objects.filter(pk__in=_actor_unit_ids(actor)).order_by("path"))


def task_visible(actor: Person, task: Task) -> bool:
    """The assigner, the officer, Baro's system actor, and anyone placed at or above a unit the
    task involves: its lead, its assigning unit, a coordinator, or a unit one of its disputes
    named (refusing, proposed, deciding). `task.lead_unit` is read, `task.assigning_unit` only
    when needed."""
    if actor.is_system:
        return True
    if not actor.is_active:
        return False
    if actor.pk in (task.assigner_id, task.officer_id):
        return True
    # Most who see a task are placed above its lead unit: their positions (the one plain
    # statement the authority check reads too) answer that before the delegations are read.
    held = {position.unit_id for position in authority.positions_held(actor, today())}
    if not held.isdisjoint(task.lead_unit.ancestor_ids):
        return True
    mine = _actor_unit_ids(actor)
    if not mine:
        return False
    if not mine.isdisjoint(task.lead_unit.ancestor_ids) or not mine.isdisjoint(
        task.assigning_unit.ancestor_ids
    ):
        return True
    # Coordinators and units named by a dispute see the task too; read only when needed.
    involved = set(TaskCoordinator.objects.filter(task=task).values_list("unit_id", flat=True))
    for row in Dispute.objects.filter(task=task).values(
        "refusing_unit_id", "proposed_unit_id", "decider_unit_id"
    ):
        involved.update(row.values())
    return any(
        not mine.isdisjoint(unit.ancestor_ids)
        for unit in Unit.objects.filter(pk__in=involved).only("pk", "path")
    )


def task_get_for_actor(actor: Person, pk: int, *, related: tuple[str, ...] = ()) -> Task:
    """The task `pk` with its lead unit (and its assigning unit and `related`, when `related`
    is given) if `actor` may see it; NotFoundError otherwise.

    Without `related` it is the hot read of every command over the API: one plain statement
    (row_by) for the task and its lead unit, what the commands' first authority check and the
    API's serialiser read.
    """
    task: Task | None
    if related:
        task = (
            Task.objects.select_related("lead_unit", "assigning_unit", *related)
            .filter(pk=pk)
            .first()
        )
    else:
        try:
            task = row_by(Task, "pk", pk, related="lead_unit")
        except Task.DoesNotExist:
            task = None
    if task is None or not task_visible(actor, task):
        raise NotFoundError("Không tìm thấy nhiệm vụ.")
    return task


def directives_visible_to(actor: Person) -> QuerySet[Directive]:
    """Directives issued anywhere in the trees where `actor` holds a position or delegation.

    A directive is read by everyone who implements it, down to the last member, and it often
    comes from a body that is not above the reader in the registry (the Party Committee's
    24-CT/TU binds the People's Committee beside it), so it is visible across the whole tree
    (the city), never in another installation's tree.
    """
    qs = Directive.objects.select_related("issuing_unit", "signer")
    if actor.is_system:
        return qs
    units = actor_units(actor) if actor.is_active else []
    roots = {unit.path.split(PATH_SEPARATOR)[0] + PATH_SEPARATOR for unit in units}
    if not roots:
        return qs.none()
    condition = Q()
    for root in roots:
        condition |= Q(issuing_unit__path__startswith=root)
    return qs.filter(condition)


def directive_get_for_actor(actor: Person, pk: int) -> Directive:
    """The directive `pk` if `actor` may see it; NotFoundError otherwise."""
    directive = directives_visible_to(actor).filter(pk=pk).first()
    if directive is None:
        raise NotFoundError("Không tìm thấy văn bản chỉ đạo.")
    return directive


# Things bound to one task are seen by whoever sees the task; the task comes loaded with them
# (its lead and assigning units, which task_visible reads).
_WITH_TASK = ("task__lead_unit", "task__assigning_unit")


def dispute_get_for_actor(actor: Person, pk: int) -> Dispute:
    """The dispute `pk`, with its units and its task, if `actor` may see the task."""
    dispute = Dispute.objects.select_related(*_WITH_TASK, *DISPUTE_UNITS).filter(pk=pk).first()
    if dispute is None or not task_visible(actor, dispute.task):
        raise NotFoundError("Không tìm thấy tranh chấp.")
    return dispute


def extension_get_for_actor(actor: Person, pk: int) -> Extension:
    """The extension request `pk`, with its task, if `actor` may see the task."""
    extension = Extension.objects.select_related(*_WITH_TASK).filter(pk=pk).first()
    if extension is None or not task_visible(actor, extension.task):
        raise NotFoundError("Không tìm thấy đề nghị gia hạn.")
    return extension


def input_request_get_for_actor(
    actor: Person, pk: int, *, task_id: int | None = None
) -> InputRequest:
    """The input request `pk` (of task `task_id`, when given), with its task and the unit asked,
    if `actor` may see the task."""
    rows = InputRequest.objects.select_related(*_WITH_TASK, "unit")
    if task_id is not None:
        rows = rows.filter(task_id=task_id)
    row = rows.filter(pk=pk).first()
    if row is None or not task_visible(actor, row.task):
        raise NotFoundError("Không tìm thấy yêu cầu xin ý kiến.")
    return row


def guidance_request_get_for_actor(
    actor: Person, pk: int, *, task_id: int | None = None
) -> GuidanceRequest:
    """The guidance request `pk` (of task `task_id`, when given), with its task and the superior
    unit asked, if `actor` may see the task."""
    rows = GuidanceRequest.objects.select_related(*_WITH_TASK, "superior_unit")
    if task_id is not None:
        rows = rows.filter(task_id=task_id)
    row = rows.filter(pk=pk).first()
    if row is None or not task_visible(actor, row.task):
        raise NotFoundError("Không tìm thấy yêu cầu xin ý kiến chỉ đạo.")
    return row


def attachment_get_for_actor(
    actor: Person, pk: int, *, task_id: int | None = None
) -> Attachment:
    """The attachment `pk` (of task `task_id`, when given) if `actor` may see what it is
    attached to: a task's file goes to who sees the task, a directive's to who reads it."""
    rows = Attachment.objects.select_related(*_WITH_TASK)
    if task_id is not None:
        rows = rows.filter(task_id=task_id)
    row = rows.filter(pk=pk).first()
    if row is not None and row.task is not None:
        visible = task_visible(actor, row.task)
    elif row is not None and row.directive_id is not None:
        visible = directives_visible_to(actor).filter(pk=row.directive_id).exists()
    else:
        visible = False
    if not visible:
        raise NotFoundError("Không tìm thấy tệp.")
    assert row is not None
    return row


def open_dispute(task: Task) -> Dispute | None:
    """The task's open ownership dispute, if any (at most one: a database constraint)."""
    return (
        Dispute.objects.filter(task=task, status=DisputeStatus.OPEN)
        .select_related("decider_unit", "proposed_unit", "refusing_unit")
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
