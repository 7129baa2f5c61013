"""Who may give which command to a task, now: the one place services, pages and the API ask.

The `require_*` functions raise AuthorityError (the services call them before changing
anything); `can`, `my_commands` and the `may_*` functions answer the same questions without
raising, for the buttons of the task page, its collaboration panels and the `my_commands` of
the API, so what is offered and what is allowed cannot drift apart.

Who may *see* a task or a directive (anything else is "not found") is answered here too, at
the end: `task_visible`, `directives_visible_to` and one `*_get_for_actor` per thing, which
the pages and the API fetch through before any command runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from baro.core.errors import AuthorityError, NotFoundError
from baro.core.sql import row_by
from baro.core.timeutil import now, today
from baro.org import authority
from baro.org.authority import Decision, Power
from baro.org.models import PATH_SEPARATOR, Delegation, Person, Position, Unit
from baro.org.queries import active_on, unit_head
from baro.work import rules
from baro.work.models import (
    Attachment,
    Directive,
    Dispute,
    Extension,
    GuidanceRequest,
    InputRequest,
    Task,
    TaskCoordinator,
    TaskStatus,
)
from baro.work.queries.detail import (
    DISPUTE_UNITS,
    binding_decision,
    open_dispute,
    pending_extension,
)
from baro.work.rules import TaskCommand as C

__all__ = [
    "TaskState",
    "actor_units",
    "attachment_get_for_actor",
    "bound_refusal",
    "can",
    "directive_get_for_actor",
    "directives_visible_to",
    "dispute_get_for_actor",
    "extension_get_for_actor",
    "guidance_request_get_for_actor",
    "input_request_get_for_actor",
    "may_act_as_lead",
    "may_act_for_directives",
    "may_answer_guidance",
    "may_answer_input",
    "may_assign_anywhere",
    "may_attach_to_task",
    "may_register_directives",
    "may_split",
    "my_commands",
    "require_assigner_side",
    "require_directive_side",
    "require_dispute_decider",
    "require_guidance_answerer",
    "require_input_answerer",
    "require_lead_command",
    "require_lead_side",
    "require_task_participant",
    "state_of",
    "task_get_for_actor",
    "task_visible",
    "units_with_power",
]


def require_lead_side(actor: Person, task: Task, *, officer_may: bool = True) -> Decision:
    """task.handle over the lead unit, or (if `officer_may`) being the task's named officer."""
    if officer_may and task.officer_id is not None and task.officer_id == actor.pk:
        return Decision(True, Power.TASK_HANDLE, _("Cán bộ được giao xử lý nhiệm vụ."))
    return authority.require(actor, Power.TASK_HANDLE, task.lead_unit)


# Lead-side commands that are the unit's decision, never its officer's: taking the task or
# refusing it.
UNIT_DECISIONS = frozenset({C.ACCEPT, C.REFUSE})


def require_lead_command(actor: Person, task: Task, command: str) -> Decision:
    """Who gives the lead side's `command` to `task` as it stands: the page's button and the
    command ask this one function.

    task.handle over the lead unit always; the named officer too, but not to accept or refuse
    (the unit's decision), and not before the unit has accepted the task: until then the task
    is not yet theirs to work on, so not theirs to ask more time for either.
    """
    officer_may = command not in UNIT_DECISIONS and task.status != TaskStatus.ASSIGNED
    return require_lead_side(actor, task, officer_may=officer_may)


def bound_refusal(task: Task, binding: Dispute | None) -> str:
    """Why the lead may not refuse `task` ("" when it may): `binding`, the decided dispute that
    named the current lead (queries.detail.binding_decision), binds it. The page's button and
    task_refuse both ask this."""
    if binding is None:
        return ""
    decided = binding.decided_unit
    if decided is not None and decided.pk != task.lead_unit_id:
        return _(
            "Cấp có thẩm quyền đã quyết định %(decided)s chủ trì nhiệm vụ này; %(unit)s kế thừa "
            "%(decided)s nên quyết định vẫn có hiệu lực bắt buộc, không được từ chối lại."
        ) % {"decided": decided.name, "unit": task.lead_unit.name}
    return _(
        "Cấp có thẩm quyền đã quyết định %(unit)s chủ trì nhiệm vụ này; quyết định có hiệu lực "
        "bắt buộc, không được từ chối lại."
    ) % {"unit": task.lead_unit.name}


def require_assigner_side(actor: Person, task: Task, power: str = Power.TASK_APPROVE) -> Decision:
    """The task's assigner, or `power` over the assigning unit."""
    if task.assigner_id == actor.pk and actor.is_active:
        return Decision(True, power, _("Người giao nhiệm vụ."))
    return authority.require(actor, power, task.assigning_unit)


def require_dispute_decider(actor: Person, unit: Unit) -> Decision:
    """Only the current head of `unit`, or someone that head delegated dispute.decide to.

    A higher head or an administrator holds dispute.decide over `unit` as well, but the rule
    is that the lowest common superior decides: going over its head would hide who answered
    for the decision. The system actor is refused too: a dispute is a human decision.
    """
    if not actor.is_active:
        raise AuthorityError(_("%(actor)s không còn công tác.") % {"actor": actor.full_name})
    head = unit_head(unit)
    if head is None:
        raise AuthorityError(
            _("%(unit)s hiện không có người đứng đầu để quyết định tranh chấp.")
            % {"unit": unit.name},
            code="work.no_head",
        )
    if head.person_id == actor.pk:
        return Decision(
            True,
            Power.DISPUTE_DECIDE,
            _("Người đứng đầu %(unit)s.") % {"unit": unit.name},
            position=head,
        )
    at = now()
    for delegation in Delegation.objects.filter(
        delegator_id=head.person_id,
        delegate=actor,
        unit_id__in=unit.ancestor_ids,
        valid_from__lte=at,
        valid_to__gt=at,
        revoked_at__isnull=True,
    ).select_related("delegator"):
        if Power.DISPUTE_DECIDE in delegation.powers:
            return Decision(
                True,
                Power.DISPUTE_DECIDE,
                _("Được %(person)s, người đứng đầu %(unit)s, ủy quyền.")
                % {"person": head.person.full_name, "unit": unit.name},
                delegation=delegation,
            )
    raise AuthorityError(
        _(
            "Chỉ người đứng đầu %(unit)s (%(person)s) hoặc người được người đó ủy "
            "quyền mới được quyết định tranh chấp này."
        )
        % {"unit": unit.name, "person": head.person.full_name},
        code="work.not_decider",
        details={"power": Power.DISPUTE_DECIDE, "unit": unit.code},
    )


def require_directive_side(actor: Person, issuing_unit: Unit) -> Decision:
    """Who registers, issues, sends or files the documents of `issuing_unit`: directive.register
    there (the secretariat), else directive.issue (its leaders)."""
    decision = authority.check(actor, Power.DIRECTIVE_REGISTER, issuing_unit)
    if decision:
        return decision
    return authority.require(actor, Power.DIRECTIVE_ISSUE, issuing_unit)


def require_input_answerer(actor: Person, unit: Unit) -> Decision:
    """Who answers an input request for the coordinating `unit` asked: task.handle over it (its
    head, deputy or officer, or someone above them)."""
    return authority.require(actor, Power.TASK_HANDLE, unit)


def require_guidance_answerer(actor: Person, superior_unit: Unit) -> Decision:
    """Who answers a guidance request for the `superior_unit` asked: task.approve over it (its
    head or deputy, or a delegate)."""
    return authority.require(actor, Power.TASK_APPROVE, superior_unit)


def require_task_participant(actor: Person, task: Task) -> Decision:
    """Anyone taking part in `task`: lead side, assigner side, a coordinating unit, a superior
    asked for guidance on it."""
    if task.officer_id is not None and task.officer_id == actor.pk:
        return Decision(True, Power.TASK_HANDLE, _("Cán bộ được giao xử lý nhiệm vụ."))
    if task.assigner_id == actor.pk and actor.is_active:
        return Decision(True, Power.TASK_APPROVE, _("Người giao nhiệm vụ."))
    candidates: list[tuple[str, Unit]] = [
        (Power.TASK_HANDLE, task.lead_unit),
        (Power.TASK_APPROVE, task.assigning_unit),
    ]
    candidates += [
        (Power.TASK_HANDLE, c.unit)
        for c in TaskCoordinator.objects.filter(task=task).select_related("unit")
    ]
    candidates += [
        (Power.TASK_APPROVE, g.superior_unit)
        for g in GuidanceRequest.objects.filter(task=task).select_related("superior_unit")
    ]
    for power, unit in candidates:
        decision = authority.check(actor, power, unit)
        if decision:
            return decision
    raise AuthorityError(
        _("%(actor)s không tham gia nhiệm vụ này nên không được đính kèm tệp.")
        % {"actor": actor.full_name},
        code="auth.denied",
        details={"power": Power.TASK_HANDLE, "unit": task.lead_unit.code},
    )


def may_act_for_directives(actor: Person, issuing_unit: Unit) -> bool:
    return _asked(require_directive_side, Power.DIRECTIVE_REGISTER, actor, issuing_unit).allowed


def _asked(check: Callable[..., Decision], power: str, *args: Any, **kwargs: Any) -> Decision:
    """A `require_*` answer as a Decision instead of an exception."""
    try:
        return check(*args, **kwargs)
    except AuthorityError as error:
        return Decision(False, power, error.message)


@dataclass(frozen=True)
class TaskState:
    """What is pending on the task beside its status (read once per page or response)."""

    dispute: Dispute | None
    extension: Extension | None
    # The decided dispute that named the current lead (which then may not refuse again); read
    # only while the task waits for acceptance, the one state where refusing is open.
    binding: Dispute | None = None


def state_of(task: Task) -> TaskState:
    return TaskState(
        dispute=open_dispute(task),
        extension=pending_extension(task),
        binding=binding_decision(task) if task.status == TaskStatus.ASSIGNED else None,
    )


def state_refusal(task: Task, command: str, state: TaskState) -> str:
    """Why `command` is not open on the task in its current state ("" when it is)."""
    if not rules.is_allowed(task.status, command):
        return _("Không thể %(command)s nhiệm vụ đang ở trạng thái “%(status)s”.") % {
            "command": C(command).label.lower(),
            "status": TaskStatus(task.status).label,
        }
    if command == C.DECIDE_EXTENSION and state.extension is None:
        return _("Nhiệm vụ không có đề nghị gia hạn nào đang chờ quyết định.")
    if command == C.REQUEST_EXTENSION and state.extension is not None:
        return _("Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định.")
    if command == C.DECIDE_DISPUTE and state.dispute is None:
        return _("Nhiệm vụ không có tranh chấp nào đang chờ quyết định.")
    if command == C.REFUSE:
        return bound_refusal(task, state.binding)
    return ""


def can(person: Person, task: Task, command: str, state: TaskState) -> Decision:
    """May `person` give `command` to `task` now: its state first, then their authority, by
    the very checks the service makes."""
    refusal = state_refusal(task, command, state)
    if refusal:
        return Decision(False, command, refusal)
    if command in (C.ACCEPT, C.REFUSE, C.REPORT_PROGRESS, C.SUBMIT, C.REQUEST_EXTENSION):
        return _asked(require_lead_command, Power.TASK_HANDLE, person, task, command)
    own_request = state.extension is not None and state.extension.requested_by_id == person.pk
    if command == C.DECIDE_EXTENSION and own_request:
        return Decision(
            False,
            Power.TASK_APPROVE,
            _("Người đề nghị gia hạn không tự quyết định đề nghị của chính mình."),
        )
    if command in (C.APPROVE, C.RETURN, C.DECIDE_EXTENSION):
        return _asked(require_assigner_side, Power.TASK_APPROVE, person, task)
    if command == C.CANCEL:
        return _asked(require_assigner_side, Power.TASK_ASSIGN, person, task, Power.TASK_ASSIGN)
    if command == C.DECIDE_DISPUTE:
        assert state.dispute is not None
        return _asked(
            require_dispute_decider, Power.DISPUTE_DECIDE, person, state.dispute.decider_unit
        )
    return Decision(False, command, _("Thao tác không xác định."))


def my_commands(person: Person, task: Task, state: TaskState | None = None) -> list[str]:
    """The commands `person` may give `task` now, in the order of rules.TaskCommand."""
    state = state or state_of(task)
    return [
        command
        for command in C.values
        if rules.is_allowed(task.status, command) and can(person, task, command, state).allowed
    ]


# --------------------------------------------------------------------------------------------
# the same questions without raising, for the pages' buttons and panels


def may_act_as_lead(actor: Person, task: Task) -> bool:
    """The lead side of `task` (its officer, or task.handle over the lead unit)."""
    if task.officer_id is not None and task.officer_id == actor.pk:
        return True
    return bool(authority.check(actor, Power.TASK_HANDLE, task.lead_unit))


def may_answer_input(actor: Person, unit: Unit) -> bool:
    return bool(authority.check(actor, Power.TASK_HANDLE, unit))


def may_answer_guidance(actor: Person, superior_unit: Unit) -> bool:
    return bool(authority.check(actor, Power.TASK_APPROVE, superior_unit))


def may_attach_to_task(actor: Person, task: Task) -> bool:
    """Whether `actor` takes part in `task` (require_task_participant), whatever its state."""
    return _asked(require_task_participant, Power.TASK_HANDLE, actor, task).allowed


def may_split(actor: Person, task: Task) -> bool:
    """Whether `actor` may split off a subtask of `task` now: the task is in progress and they
    hold task.assign over its lead unit (as subtask_assign checks)."""
    return task.status == TaskStatus.IN_PROGRESS and bool(
        authority.check(actor, Power.TASK_ASSIGN, task.lead_unit)
    )


def may_register_directives(person: Person) -> bool:
    """Whether `person` registers or issues directives anywhere (the list's "register")."""
    return bool(
        authority.holds_anywhere(person, Power.DIRECTIVE_REGISTER)
        or authority.holds_anywhere(person, Power.DIRECTIVE_ISSUE)
    )


def may_assign_anywhere(person: Person) -> bool:
    return bool(authority.holds_anywhere(person, Power.TASK_ASSIGN))


def units_with_power(person: Person, *powers: str) -> list[Unit]:
    """Units (among the person's own, active today) over which they hold one of `powers`:
    where they may act *as* that unit (assign through it, issue in its name)."""
    day = today()
    return [
        unit
        for unit in actor_units(person)
        if unit.is_active_on(day) and any(authority.check(person, p, unit) for p in powers)
    ]


# --------------------------------------------------------------------------------------------
# who may see a task or a directive, and the fetch the pages and the API share
#
# Each thing has one `<thing>_get_for_actor(actor, pk)`: the row if the actor may see it, else
# NotFoundError (a 404 on a page and in the API alike: what one may not see is not found, not
# forbidden). The pages and the API fetch through them before any command runs, so a task
# never shows in one and hides in another.


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


def units_worked_with(actor: Person) -> set[int]:
    """The units `actor` works with through tasks: the lead, assigning and coordinating units
    of the tasks they handle or assigned, or that a unit of theirs leads or coordinates. The
    registry opens those units' public cards to them (org.permissions.register_works_with)."""
    if actor.is_system or not actor.is_active:
        return set()
    mine = _actor_unit_ids(actor)
    coordinated = TaskCoordinator.objects.filter(unit_id__in=mine).values("task_id")
    tasks = Task.objects.filter(
        Q(officer=actor) | Q(assigner=actor) | Q(lead_unit_id__in=mine) | Q(pk__in=coordinated)
    ).order_by()
    ids: set[int] = set()
    for lead_id, assigning_id in tasks.values_list("lead_unit_id", "assigning_unit_id"):
        ids.update((lead_id, assigning_id))
    ids.update(
        TaskCoordinator.objects.filter(task__in=tasks.values("pk")).values_list(
            "unit_id", flat=True
        )
    )
    return ids


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
    for row in Dispute.objects.filter(task=task).values_list(
        "refusing_unit_id", "proposed_unit_id", "decider_unit_id"
    ):
        involved.update(unit_id for unit_id in row if unit_id is not None)
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
        raise NotFoundError(_("Không tìm thấy nhiệm vụ."))
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
        raise NotFoundError(_("Không tìm thấy văn bản chỉ đạo."))
    return directive


# Things bound to one task are seen by whoever sees the task; the task comes loaded with them
# (its lead and assigning units, which task_visible reads).
_WITH_TASK = ("task__lead_unit", "task__assigning_unit")


def dispute_get_for_actor(actor: Person, pk: int) -> Dispute:
    """The dispute `pk`, with its units and its task, if `actor` may see the task."""
    dispute = Dispute.objects.select_related(*_WITH_TASK, *DISPUTE_UNITS).filter(pk=pk).first()
    if dispute is None or not task_visible(actor, dispute.task):
        raise NotFoundError(_("Không tìm thấy tranh chấp."))
    return dispute


def extension_get_for_actor(actor: Person, pk: int) -> Extension:
    """The extension request `pk`, with its task, if `actor` may see the task."""
    extension = Extension.objects.select_related(*_WITH_TASK).filter(pk=pk).first()
    if extension is None or not task_visible(actor, extension.task):
        raise NotFoundError(_("Không tìm thấy đề nghị gia hạn."))
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
        raise NotFoundError(_("Không tìm thấy yêu cầu xin ý kiến."))
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
        raise NotFoundError(_("Không tìm thấy yêu cầu xin ý kiến chỉ đạo."))
    return row


def attachment_get_for_actor(actor: Person, pk: int, *, task_id: int | None = None) -> Attachment:
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
        raise NotFoundError(_("Không tìm thấy tệp."))
    assert row is not None
    return row


def require_line_manager(actor: Person) -> Decision:
    """registry.manage over some active root unit: the assignment lines apply to the whole
    system (baro.work.lines), so only an administrator of a top-level unit changes them."""
    decision = authority.check_over_a_root(actor, Power.REGISTRY_MANAGE)
    if decision:
        return decision
    raise AuthorityError(
        _(
            "%(person)s không có quyền thay đổi tuyến giao nhiệm vụ: tuyến áp dụng cho toàn hệ "
            "thống, chỉ quản trị viên của một đơn vị cấp cao nhất mới được điều chỉnh."
        )
        % {"person": actor.full_name},
        details={"power": Power.REGISTRY_MANAGE},
    )


def line_manager_decision(actor: Person) -> Decision:
    """May `actor` change the assignment lines, decided exactly as assignment_line_set decides
    it, as a Decision: the lines page and the navigation ask this, so they never offer what the
    command would refuse."""
    try:
        return require_line_manager(actor)
    except AuthorityError as error:
        return Decision(False, Power.REGISTRY_MANAGE, error.message)
