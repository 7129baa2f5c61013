"""Telling people what a command of a task handed them: work (an assignment, a coordinating
part, a task a dispute decision gave them, a result sent back) or a decision (a result to
approve, an extension or a dispute to decide) and the outcome of a decision they asked for.

Each command calls one of these inside its own transaction, as oversight's commands do:
baro.notify.notify() writes the bell's notification and the outbox rows (e-mail, webhooks) with
the change, so nothing is sent for a command that rolled back. Who acted is not told of their
own act. The kinds are stable dotted codes, the same as the ledger's verbs where there is one.
"""

from __future__ import annotations

from collections.abc import Iterable

from baro.core.timeutil import format_date
from baro.notify.services import notify
from baro.org.models import Person, Unit
from baro.org.queries import unit_head
from baro.work.models import (
    Dispute,
    Extension,
    ExtensionStatus,
    GuidanceRequest,
    InputRequest,
    Task,
    TaskCoordinator,
)
from baro.work.services.common import (
    OBJ_DISPUTE,
    OBJ_EXTENSION,
    OBJ_GUIDANCE,
    OBJ_INPUT,
    OBJ_TASK,
)

__all__ = [
    "tell_assigned",
    "tell_cancelled",
    "tell_dispute_decided",
    "tell_dispute_opened",
    "tell_extension_decided",
    "tell_extension_requested",
    "tell_guidance_answered",
    "tell_guidance_requested",
    "tell_input_answered",
    "tell_input_requested",
    "tell_result_decided",
    "tell_submitted",
]


def task_url(task: Task) -> str:
    return f"/nhiem-vu/{task.pk}/"


def _short(text: str, limit: int = 150) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _head(unit: Unit) -> list[Person]:
    position = unit_head(unit)
    return [position.person] if position is not None else []


def lead_side(task: Task) -> list[Person]:
    """Who answers for the task on the lead side: the lead unit's head and the named officer."""
    people = _head(task.lead_unit)
    if task.officer_id is not None:
        people.append(Person.objects.get(pk=task.officer_id))
    return people


def _tell(
    actor: Person,
    recipients: Iterable[Person],
    *,
    kind: str,
    title: str,
    body: str,
    task: Task,
    object_type: str = OBJ_TASK,
    object_id: int | None = None,
) -> int:
    return notify(
        recipients=[p for p in recipients if p.pk != actor.pk],
        kind=kind,
        title=title,
        body=body,
        url=task_url(task),
        object_type=object_type,
        object_id=object_id if object_id is not None else task.pk,
    )


def tell_assigned(actor: Person, task: Task, coordinators: Iterable[TaskCoordinator]) -> None:
    """The lead unit's head and the officer get the task; each coordinator's head its part."""
    lead = task.lead_unit.name
    due = format_date(task.deadline)
    _tell(
        actor,
        lead_side(task),
        kind="work.task.assigned",
        title=f"Nhiệm vụ mới: {_short(task.title)}",
        body=(
            f"{actor.full_name} ({task.assigning_unit.name}) giao {lead} chủ trì nhiệm vụ "
            f"“{task.title}”, hạn {due}. Đơn vị tiếp nhận, hoặc từ chối có lý do và nêu đơn vị "
            "đề xuất."
        ),
        task=task,
    )
    for coordinator in coordinators:
        part = f" Phần việc: {coordinator.part}." if coordinator.part else ""
        by = (
            f" Hạn phối hợp: {format_date(coordinator.sub_deadline)}."
            if coordinator.sub_deadline
            else ""
        )
        _tell(
            actor,
            _head(coordinator.unit),
            kind="work.task.coordinating",
            title=f"Phối hợp thực hiện: {_short(task.title)}",
            body=(
                f"{coordinator.unit.name} được giao phối hợp với {lead} thực hiện nhiệm vụ "
                f"“{task.title}”, hạn {due}.{part}{by}"
            ),
            task=task,
        )


def tell_submitted(actor: Person, task: Task, note: str) -> None:
    """The assigner has a result to approve or return."""
    _tell(
        actor,
        [task.assigner],
        kind="work.task.submitted",
        title=f"Chờ duyệt kết quả: {_short(task.title)}",
        body=(
            f"{actor.full_name} ({task.lead_unit.name}) đã trình kết quả nhiệm vụ “{task.title}”."
            + (f"\n\nGhi chú kết quả: {note}" if note else "")
        ),
        task=task,
    )


def tell_result_decided(actor: Person, task: Task, *, approved: bool, note: str) -> None:
    """The lead side learns whether its result was approved (with the grades) or returned."""
    if approved:
        title = f"Kết quả được duyệt: {_short(task.title)}"
        quality = task.get_quality_grade_display()
        effectiveness = task.get_effectiveness_grade_display()
        body = (
            f"{actor.full_name} đã duyệt kết quả nhiệm vụ “{task.title}”: chất lượng "
            f"{quality}, hiệu quả {effectiveness}."
        )
        if note:
            body += f"\n\nNhận xét: {note}"
    else:
        title = f"Kết quả bị trả lại: {_short(task.title)}"
        body = (
            f"{actor.full_name} trả lại kết quả nhiệm vụ “{task.title}” để làm lại; hạn vẫn là "
            f"{format_date(task.deadline)}.\n\nLý do: {note}"
        )
    _tell(
        actor,
        lead_side(task),
        kind="work.task.approved" if approved else "work.task.returned",
        title=title,
        body=body,
        task=task,
    )


def tell_cancelled(actor: Person, task: Task, reason: str) -> None:
    """The lead side stops: the task was cancelled."""
    _tell(
        actor,
        lead_side(task),
        kind="work.task.cancelled",
        title=f"Nhiệm vụ đã hủy: {_short(task.title)}",
        body=f"{actor.full_name} đã hủy nhiệm vụ “{task.title}”.\n\nLý do: {reason}",
        task=task,
    )


def tell_dispute_opened(actor: Person, task: Task, dispute: Dispute) -> None:
    """The head of the lowest common superior has a dispute to decide, by its deadline."""
    _tell(
        actor,
        _head(dispute.decider_unit),
        kind="work.dispute.opened",
        title=f"Tranh chấp thẩm quyền chờ quyết định: {_short(task.title)}",
        body=(
            f"{dispute.refusing_unit.name} từ chối chủ trì nhiệm vụ “{task.title}”, đề xuất "
            f"{dispute.proposed_unit.name}. Lý do: {dispute.reason}\n\nNgười đứng đầu "
            f"{dispute.decider_unit.name} quyết định đơn vị chủ trì trước "
            f"{format_date(dispute.deadline)}; quyết định có hiệu lực bắt buộc."
        ),
        task=task,
        object_type=OBJ_DISPUTE,
        object_id=dispute.pk,
    )


def tell_dispute_decided(actor: Person, task: Task, dispute: Dispute) -> None:
    """The unit now leading gets the task; who refused and the assigner learn the decision."""
    assert dispute.decided_unit is not None
    unit = dispute.decided_unit.name
    body = (
        f"{actor.full_name} quyết định {unit} chủ trì nhiệm vụ “{task.title}”; quyết định có "
        f"hiệu lực bắt buộc.\n\nLý do: {dispute.decision_reason}"
    )
    _tell(
        actor,
        _head(dispute.decided_unit),
        kind="work.dispute.decided",
        title=f"Được giao chủ trì theo quyết định: {_short(task.title)}",
        body=body + f"\n\n{unit} tiếp nhận nhiệm vụ, hạn {format_date(task.deadline)}.",
        task=task,
        object_type=OBJ_DISPUTE,
        object_id=dispute.pk,
    )
    told = {p.pk for p in _head(dispute.decided_unit)}
    _tell(
        actor,
        [p for p in (dispute.refused_by, task.assigner) if p.pk not in told],
        kind="work.dispute.decided",
        title=f"Đã quyết định tranh chấp: {_short(task.title)}",
        body=body,
        task=task,
        object_type=OBJ_DISPUTE,
        object_id=dispute.pk,
    )


def tell_extension_requested(actor: Person, task: Task, extension: Extension) -> None:
    """The assigner has an extension request to decide."""
    _tell(
        actor,
        [task.assigner],
        kind="work.extension.requested",
        title=f"Đề nghị gia hạn: {_short(task.title)}",
        body=(
            f"{actor.full_name} ({task.lead_unit.name}) đề nghị gia hạn nhiệm vụ “{task.title}” "
            f"từ {format_date(extension.old_deadline)} đến {format_date(extension.new_deadline)}."
            f"\n\nLý do: {extension.reason}"
        ),
        task=task,
        object_type=OBJ_EXTENSION,
        object_id=extension.pk,
    )


def tell_extension_decided(actor: Person, task: Task, extension: Extension) -> None:
    """Who asked for more time, and the lead side, learn the decision."""
    approved = extension.status == ExtensionStatus.APPROVED
    if approved:
        title = f"Đồng ý gia hạn: {_short(task.title)}"
        body = (
            f"{actor.full_name} đồng ý gia hạn nhiệm vụ “{task.title}” đến "
            f"{format_date(extension.new_deadline)}."
        )
    else:
        title = f"Không đồng ý gia hạn: {_short(task.title)}"
        body = (
            f"{actor.full_name} không đồng ý gia hạn nhiệm vụ “{task.title}”; hạn vẫn là "
            f"{format_date(task.deadline)}."
        )
    if extension.decision_note:
        body += f"\n\nÝ kiến: {extension.decision_note}"
    requester = Person.objects.get(pk=extension.requested_by_id)
    _tell(
        actor,
        [requester, *lead_side(task)],
        kind="work.extension.approved" if approved else "work.extension.refused",
        title=title,
        body=body,
        task=task,
        object_type=OBJ_EXTENSION,
        object_id=extension.pk,
    )


def tell_input_requested(actor: Person, task: Task, row: InputRequest) -> None:
    """The coordinating unit's head has the lead's question to answer by its due date."""
    _tell(
        actor,
        _head(row.unit),
        kind="work.input.requested",
        title=f"Xin ý kiến đơn vị phối hợp: {_short(task.title)}",
        body=(
            f"{task.lead_unit.name} xin ý kiến {row.unit.name} về nhiệm vụ “{task.title}”, hạn "
            f"trả lời {format_date(row.due_on)}; quá hạn không trả lời được coi là đồng ý và "
            f"đơn vị phối hợp chịu trách nhiệm.\n\n{row.question}"
        ),
        task=task,
        object_type=OBJ_INPUT,
        object_id=row.pk,
    )


def tell_input_answered(actor: Person, task: Task, row: InputRequest) -> None:
    """Who asked learns the coordinating unit's answer."""
    _tell(
        actor,
        [Person.objects.get(pk=row.requested_by_id)],
        kind="work.input.answered",
        title=f"{row.unit.name} đã cho ý kiến: {_short(task.title)}",
        body=f"{row.get_position_display()}." + (f"\n\n{row.answer}" if row.answer else ""),
        task=task,
        object_type=OBJ_INPUT,
        object_id=row.pk,
    )


def tell_guidance_requested(actor: Person, task: Task, row: GuidanceRequest) -> None:
    """The superior unit's head has a request for guidance to answer by its due date."""
    _tell(
        actor,
        _head(row.superior_unit),
        kind="work.guidance.requested",
        title=f"Xin ý kiến chỉ đạo: {_short(task.title)}",
        body=(
            f"{row.asking_unit.name} xin ý kiến chỉ đạo của {row.superior_unit.name} về nhiệm vụ "
            f"“{task.title}”, hạn trả lời {format_date(row.due_on)}.\n\n{row.question}"
        ),
        task=task,
        object_type=OBJ_GUIDANCE,
        object_id=row.pk,
    )


def tell_guidance_answered(actor: Person, task: Task, row: GuidanceRequest) -> None:
    """Who asked learns the superior's guidance."""
    _tell(
        actor,
        [Person.objects.get(pk=row.asked_by_id)],
        kind="work.guidance.answered",
        title=f"Đã có ý kiến chỉ đạo: {_short(task.title)}",
        body=f"{actor.full_name} cho ý kiến chỉ đạo:\n\n{row.answer}",
        task=task,
        object_type=OBJ_GUIDANCE,
        object_id=row.pk,
    )
