"""Reads about one task or directive: who may see it, its open dispute, pending extension and
history. Pages, the API and the collaboration panels all decide visibility here, so a task
never shows in one and hides in another."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from baro.core.errors import NotFoundError
from baro.core.timeutil import now, today
from baro.ledger.models import LedgerEvent
from baro.org.models import PATH_SEPARATOR, Delegation, Person, Position, Unit
from baro.org.queries import active_on
from baro.work.models import (
    Directive,
    Dispute,
    DisputeStatus,
    Extension,
    ExtensionStatus,
    Task,
    TaskCoordinator,
)

__all__ = [
    "actor_units",
    "directive_get",
    "directives_visible_to",
    "open_dispute",
    "pending_extension",
    "task_get",
    "task_history",
    "task_visible",
]


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
    named (refusing, proposed, deciding). `task.lead_unit` and `task.assigning_unit` are read."""
    if actor.is_system:
        return True
    if not actor.is_active:
        return False
    if actor.pk in (task.assigner_id, task.officer_id):
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


def task_get(*, actor: Person, pk: int, related: tuple[str, ...] = ()) -> Task:
    """The task `pk` with its lead and assigning units (and `related`) if `actor` may see it;
    NotFoundError otherwise (a hidden task is not found, not forbidden)."""
    task = (
        Task.objects.select_related("lead_unit", "assigning_unit", *related).filter(pk=pk).first()
    )
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


def directive_get(*, actor: Person, pk: int) -> Directive:
    """The directive `pk` if `actor` may see it; NotFoundError otherwise."""
    directive = directives_visible_to(actor).filter(pk=pk).first()
    if directive is None:
        raise NotFoundError("Không tìm thấy văn bản chỉ đạo.")
    return directive


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
