"""Carrying a merged unit's open work to its successor (registered in WorkConfig.ready()).

Called by org's unit_merge and unit_close (with a successor) through baro.org.succession,
inside their transaction: no event of its own, the merger's one event lists what moved.

Open means the task is not completed nor cancelled. Of the open tasks:
- led by a merged unit: the successor leads; the officer stays only if they hold a position in
  the successor's tree on the merger's day (else the new lead names its own, as after a
  dispute decision); a coordinating part the successor had on the task ends (a unit does not
  lead and coordinate one task; the part is kept in the event);
- assigned through a merged unit: the successor is the assigning unit (it approves, decides
  extensions);
- coordinated by a merged unit: the successor coordinates; when it already coordinates the
  task (or two merged units did), the parts are joined and the earlier sub-deadline kept;
  when it leads the task, the part ends. Unanswered input requests go with a carried part;
- a pending extension stays pending, for the (carried) assigning side to decide;
- an open dispute naming a merged unit (refusing, proposed or deciding) names the successor
  instead, its decider recomputed as the lowest common superior. A dispute between a merged
  unit and the successor itself (or between two merged units) cannot be carried: it would be
  a unit refusing in favour of itself. The merger is refused until it is decided;
- an unanswered guidance request to a merged unit goes to the successor, unless the successor
  is the asking unit (refused like the dispute above).

A decided dispute is not carried: its decided_unit stays the unit the decider named, as the
decision was made. That decision still binds the successor on the carried task, because
binding_decision (queries.detail) follows the recorded successions from the unit named to the
current lead.

open_work_items answers, for a unit closing without a successor, what of all this is open
there (baro.org.succession's open_items): the closing is refused while anything is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from baro.org.models import Position, Unit
from baro.org.queries import active_on, lowest_common_superior, subtree_q
from baro.org.succession import Carried, MergeBlocked, OpenItem
from baro.work.models import (
    Dispute,
    DisputeStatus,
    Extension,
    ExtensionStatus,
    GuidanceRequest,
    InputRequest,
    Task,
    TaskCoordinator,
)
from baro.work.rules import OPEN_STATUSES
from baro.work.services.common import (
    OBJ_DISPUTE,
    OBJ_EXTENSION,
    OBJ_GUIDANCE,
    OBJ_INPUT,
    OBJ_TASK,
    save_task,
)


def _officer_stays(officer_id: int, into: Unit, on: dt.date) -> bool:
    return (
        Position.objects.filter(person_id=officer_id)
        .filter(subtree_q(into.path, prefix="unit__"))
        .filter(active_on(on))
        .exists()
    )


def _disputes(
    merged: set[int], into: Unit
) -> tuple[list[tuple[Dispute, dict[str, Any]]], list[str]]:
    """The open disputes naming a merged unit, with their carried units, and the blockers."""
    moves: list[tuple[Dispute, dict[str, Any]]] = []
    blockers: list[str] = []
    disputes = (
        Dispute.objects.select_for_update()
        .filter(status=DisputeStatus.OPEN)
        .filter(
            Q(refusing_unit_id__in=merged)
            | Q(proposed_unit_id__in=merged)
            | Q(decider_unit_id__in=merged)
        )
        .select_related("task", "refusing_unit", "proposed_unit")
        .order_by("pk")
    )
    for dispute in disputes:
        refusing = into if dispute.refusing_unit_id in merged else dispute.refusing_unit
        proposed = into if dispute.proposed_unit_id in merged else dispute.proposed_unit
        if refusing.pk == proposed.pk:
            blockers.append(
                _(
                    "tranh chấp thẩm quyền về nhiệm vụ “%(task)s” giữa %(refusing)s và "
                    "%(proposed)s chưa được quyết định"
                )
                % {
                    "task": dispute.task.title,
                    "refusing": dispute.refusing_unit.name,
                    "proposed": dispute.proposed_unit.name,
                }
            )
            continue
        decider = lowest_common_superior(refusing, proposed)
        if decider is None:  # pragma: no cover - the successor is in the same tree
            blockers.append(
                _("tranh chấp về nhiệm vụ “%(task)s” không còn cấp trên chung")
                % {"task": dispute.task.title}
            )
            continue
        moves.append(
            (
                dispute,
                {
                    "id": dispute.pk,
                    "task_id": dispute.task_id,
                    "refusing_unit_id": [dispute.refusing_unit_id, refusing.pk],
                    "proposed_unit_id": [dispute.proposed_unit_id, proposed.pk],
                    "decider_unit_id": [dispute.decider_unit_id, decider.pk],
                },
            )
        )
    return moves, blockers


def carry_open_work(units: Sequence[Unit], into: Unit, on: dt.date) -> Carried:
    """Move the open work of `units` to `into` (see the module docstring); MergeBlocked
    naming what cannot move."""
    merged = {unit.pk for unit in units}
    blockers: list[str] = []
    dispute_moves, dispute_blockers = _disputes(merged, into)
    blockers += dispute_blockers
    guidance = list(
        GuidanceRequest.objects.select_for_update()
        .filter(superior_unit_id__in=merged, answered_at__isnull=True)
        .filter(task__status__in=OPEN_STATUSES)
        .select_related("task", "asking_unit")
        .order_by("pk")
    )
    names = {unit.pk: unit.name for unit in units}
    for request in guidance:
        if request.asking_unit_id == into.pk:
            blockers.append(
                _(
                    "%(unit)s đang xin ý kiến chỉ đạo của %(superior)s về nhiệm vụ “%(task)s”, "
                    "chưa được trả lời"
                )
                % {
                    "unit": into.name,
                    "superior": names[request.superior_unit_id],
                    "task": request.task.title,
                }
            )
    if blockers:
        raise MergeBlocked(blockers)

    tasks = list(
        Task.objects.select_for_update()
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(lead_unit_id__in=merged) | Q(assigning_unit_id__in=merged))
        .order_by("pk")
    )
    task_rows: list[dict[str, Any]] = []
    lead_now: dict[int, int] = {}
    for task in tasks:
        row: dict[str, Any] = {"id": task.pk}
        fields: list[str] = []
        if task.lead_unit_id in merged:
            row["lead_unit_id"] = [task.lead_unit_id, into.pk]
            task.lead_unit = into
            fields.append("lead_unit")
            if task.officer_id is not None and not _officer_stays(task.officer_id, into, on):
                row["officer_cleared"] = task.officer_id
                task.officer = None
                fields.append("officer")
        if task.assigning_unit_id in merged:
            row["assigning_unit_id"] = [task.assigning_unit_id, into.pk]
            task.assigning_unit = into
            fields.append("assigning_unit")
        save_task(task, fields)
        lead_now[task.pk] = task.lead_unit_id
        task_rows.append(row)

    coordinator_rows: list[dict[str, Any]] = []
    carried_parts: set[int] = set()  # tasks whose part went to the successor
    # The parts of merged units on open tasks, and the successor's own parts on those tasks
    # and on the tasks it now leads.
    touched = set(
        TaskCoordinator.objects.filter(
            unit_id__in=merged, task__status__in=OPEN_STATUSES
        ).values_list("task_id", flat=True)
    ) | {pk for pk, lead in lead_now.items() if lead == into.pk}
    coordinators = list(
        TaskCoordinator.objects.select_for_update()
        .filter(task_id__in=touched, unit_id__in=merged | {into.pk})
        .select_related("task")
        .order_by("task_id", "pk")
    )
    kept: dict[int, TaskCoordinator] = {}  # task -> the successor's own row, once it has one
    for part in coordinators:
        lead = lead_now.get(part.task_id, part.task.lead_unit_id)
        if part.unit_id == into.pk and lead != into.pk:
            kept[part.task_id] = part
    for part in coordinators:
        lead = lead_now.get(part.task_id, part.task.lead_unit_id)
        entry = {
            "task_id": part.task_id,
            "unit_id": part.unit_id,
            "part": part.part,
            "sub_deadline": part.sub_deadline,
        }
        if lead == into.pk:
            # The successor leads this task: no unit leads and coordinates one task.
            part.delete()
            coordinator_rows.append({**entry, "to": "ended"})
            continue
        if part.unit_id == into.pk:
            continue
        own = kept.get(part.task_id)
        if own is None:
            part.unit = into
            part.save(update_fields=["unit"])
            kept[part.task_id] = part
            coordinator_rows.append({**entry, "to": into.pk})
        else:
            own.part = "\n".join(text for text in (own.part, part.part) if text)
            dates = [d for d in (own.sub_deadline, part.sub_deadline) if d is not None]
            own.sub_deadline = min(dates) if dates else None
            own.save(update_fields=["part", "sub_deadline"])
            part.delete()
            coordinator_rows.append({**entry, "to": into.pk, "joined": True})
        carried_parts.add(part.task_id)

    inputs = InputRequest.objects.filter(
        unit_id__in=merged,
        answered_at__isnull=True,
        task_id__in=carried_parts,
        task__status__in=OPEN_STATUSES,
    )
    input_ids = sorted(inputs.values_list("pk", flat=True))
    InputRequest.objects.filter(pk__in=input_ids).update(unit=into)

    for request in guidance:
        request.superior_unit = into
        request.save(update_fields=["superior_unit"])

    dispute_rows: list[dict[str, Any]] = []
    for dispute, row in dispute_moves:
        dispute.refusing_unit_id = row["refusing_unit_id"][1]
        dispute.proposed_unit_id = row["proposed_unit_id"][1]
        dispute.decider_unit_id = row["decider_unit_id"][1]
        dispute.save(update_fields=["refusing_unit", "proposed_unit", "decider_unit"])
        dispute_rows.append(row)

    task_ids = {row["id"] for row in task_rows}
    task_ids |= {row["task_id"] for row in coordinator_rows}
    task_ids |= {row["task_id"] for row in dispute_rows}
    task_ids |= {request.task_id for request in guidance}
    pending = sorted(
        Extension.objects.filter(
            task_id__in=task_ids, status=ExtensionStatus.REQUESTED
        ).values_list("pk", flat=True)
    )
    refs = [f"{OBJ_TASK}:{pk}" for pk in sorted(task_ids)]
    refs += [f"{OBJ_DISPUTE}:{row['id']}" for row in dispute_rows]
    refs += [f"{OBJ_EXTENSION}:{pk}" for pk in pending]
    refs += [f"{OBJ_INPUT}:{pk}" for pk in input_ids]
    refs += [f"{OBJ_GUIDANCE}:{request.pk}" for request in guidance]
    return Carried(
        refs=refs,
        summary={
            "tasks": task_rows,
            "coordinators": coordinator_rows,
            "disputes": dispute_rows,
            "extensions_pending": pending,
            "input_requests": input_ids,
            "guidance_requests": [request.pk for request in guidance],
        },
    )


def open_work_items(units: Sequence[Unit]) -> list[OpenItem]:
    """What is open at `units` (read only): the open tasks they lead, assigned or coordinate,
    the open disputes naming them, pending extensions on those tasks, the unanswered input and
    guidance requests put to them."""
    ids = {unit.pk for unit in units}
    names = {unit.pk: unit.name for unit in units}
    items: list[OpenItem] = []
    tasks = (
        Task.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(lead_unit_id__in=ids) | Q(assigning_unit_id__in=ids))
        .order_by("pk")
    )
    task_ids: set[int] = set()
    for task in tasks:
        task_ids.add(task.pk)
        ref = f"{OBJ_TASK}:{task.pk}"
        if task.lead_unit_id in ids:
            items.append(
                OpenItem(
                    ref,
                    _("nhiệm vụ “%(task)s” do %(unit)s chủ trì")
                    % {"task": task.title, "unit": names[task.lead_unit_id]},
                )
            )
        if task.assigning_unit_id in ids:
            items.append(
                OpenItem(
                    ref,
                    _("nhiệm vụ “%(task)s” do %(unit)s giao")
                    % {"task": task.title, "unit": names[task.assigning_unit_id]},
                )
            )
    parts = (
        TaskCoordinator.objects.filter(unit_id__in=ids, task__status__in=OPEN_STATUSES)
        .select_related("task")
        .order_by("task_id", "pk")
    )
    for part in parts:
        task_ids.add(part.task_id)
        items.append(
            OpenItem(
                f"{OBJ_TASK}:{part.task_id}",
                _("nhiệm vụ “%(task)s” do %(unit)s phối hợp")
                % {"task": part.task.title, "unit": names[part.unit_id]},
            )
        )
    disputes = (
        Dispute.objects.filter(status=DisputeStatus.OPEN)
        .filter(
            Q(refusing_unit_id__in=ids) | Q(proposed_unit_id__in=ids) | Q(decider_unit_id__in=ids)
        )
        .select_related("task")
        .order_by("pk")
    )
    for dispute in disputes:
        items.append(
            OpenItem(
                f"{OBJ_DISPUTE}:{dispute.pk}",
                _("tranh chấp thẩm quyền về nhiệm vụ “%(task)s” chưa được quyết định")
                % {"task": dispute.task.title},
            )
        )
    extensions = (
        Extension.objects.filter(task_id__in=task_ids, status=ExtensionStatus.REQUESTED)
        .select_related("task")
        .order_by("pk")
    )
    for extension in extensions:
        items.append(
            OpenItem(
                f"{OBJ_EXTENSION}:{extension.pk}",
                _("đề nghị gia hạn nhiệm vụ “%(task)s” chưa được quyết định")
                % {"task": extension.task.title},
            )
        )
    inputs = (
        InputRequest.objects.filter(
            unit_id__in=ids, answered_at__isnull=True, task__status__in=OPEN_STATUSES
        )
        .select_related("task")
        .order_by("pk")
    )
    for request in inputs:
        items.append(
            OpenItem(
                f"{OBJ_INPUT}:{request.pk}",
                _("đề nghị góp ý gửi %(unit)s về nhiệm vụ “%(task)s” chưa được trả lời")
                % {"unit": names[request.unit_id], "task": request.task.title},
            )
        )
    guidance = (
        GuidanceRequest.objects.filter(
            superior_unit_id__in=ids, answered_at__isnull=True, task__status__in=OPEN_STATUSES
        )
        .select_related("task")
        .order_by("pk")
    )
    for asked in guidance:
        items.append(
            OpenItem(
                f"{OBJ_GUIDANCE}:{asked.pk}",
                _("xin ý kiến chỉ đạo của %(unit)s về nhiệm vụ “%(task)s” chưa được trả lời")
                % {"unit": names[asked.superior_unit_id], "task": asked.task.title},
            )
        )
    return items
