"""needless_consultation: consulting to delay rather than to decide.

The same question asked of the same coordinating unit twice or more (an input request with
repeat_of; one flag per original question), or a task whose lead consulted more than
BARO_FLAG_MAX_CONSULTED distinct units (one flag per task); task not cancelled. Guidance
repeats belong to guidance_within_authority.

Subject: the task's lead unit and the person who asked (the latest request). Evidence: the
request events.

Settings:
BARO_FLAG_MAX_CONSULTED  4   distinct units a lead may consult on one task
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial
from typing import Any

from django.utils import timezone

from baro.core.timeutil import format_date
from baro.org.models import Person
from baro.oversight.detectors.common import (
    OBJ_INPUT,
    T_INPUT,
    T_TASK,
    Detector,
    People,
    batched,
    by_object,
    concat,
    ensure_evidence,
    id_text,
    load_events,
    load_tasks,
    no_flag,
    raise_flag,
    scan_rows,
    setting_int,
    title_of,
)
from baro.oversight.models import FlagKind
from baro.oversight.services import EvidenceItem
from baro.work.models import InputRequest, TaskStatus


def detect_needless_consultation(day: dt.date, *, actor: Person) -> int:
    """The same question asked of a coordinator again, or too many units consulted."""
    raised = _repeated_inputs(day, actor=actor)
    return raised + _too_many_consulted(day, actor=actor)


def _repeated_inputs(day: dt.date, *, actor: Person) -> int:
    key = concat("'needless_consultation:input:'", id_text('i."repeat_of_id"'))
    sql = (
        f'SELECT i."repeat_of_id", COUNT(*) FROM "{T_INPUT}" i '  # noqa: S608
        f'JOIN "{T_TASK}" t ON t."id" = i."task_id" '
        f'WHERE i."repeat_of_id" IS NOT NULL AND t."status" <> %s AND {no_flag(key)} '
        f'GROUP BY i."repeat_of_id"'
    )
    found = scan_rows(sql, [TaskStatus.CANCELLED.value])
    if not found:
        return 0
    return batched(found, partial(_raise_repeated_inputs, day=day, actor=actor))


def _raise_repeated_inputs(found: list[Any], *, day: dt.date, actor: Person) -> int:
    originals = [row[0] for row in found]
    rows = InputRequest.objects.filter(pk__in=originals) | InputRequest.objects.filter(
        repeat_of_id__in=originals
    )
    asked: dict[int, list[InputRequest]] = defaultdict(list)
    for request in rows.order_by("requested_at", "pk"):
        asked[request.repeat_of_id or request.pk].append(request)
    tasks = load_tasks(r.task_id for group in asked.values() for r in group)
    people = People.load(
        day,
        [pk for group in asked.values() for r in group for pk in (r.unit_id,)]
        + [t.lead_unit_id for t in tasks.values()],
        [r.requested_by_id for group in asked.values() for r in group],
    )
    events = by_object(
        load_events(OBJ_INPUT, [r.pk for g in asked.values() for r in g], ["work.input.requested"])
    )
    raised = 0
    for original_id, repeats in found:
        group = asked[original_id]
        first, last = group[0], group[-1]
        task = tasks[first.task_id]
        lead = people.units[task.lead_unit_id]
        consulted = people.units[first.unit_id]
        evidence = [
            EvidenceItem(
                task_id=task.pk,
                event_id=e.pk,
                note=f"Xin ý kiến {consulted.name} lần {number}",
            )
            for number, request in enumerate(group, start=1)
            for e in events.get(str(request.pk), [])
        ]
        times = repeats + 1
        summary = (
            f"{lead.name} xin ý kiến {consulted.name} {times} lần cùng một nội dung về nhiệm vụ "
            f"{title_of(task)} (lần đầu ngày "
            f"{format_date(timezone.localtime(first.requested_at).date())})."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.NEEDLESS_CONSULTATION,
            dedupe_key=f"needless_consultation:input:{original_id}",
            unit=lead,
            person=people.person(last.requested_by_id),
            task=task,
            summary=summary,
            figures={
                "count": times,
                "consulted_unit_id": consulted.pk,
                "input_request_ids": [r.pk for r in group],
            },
            evidence=ensure_evidence(evidence, task, "Xin ý kiến trùng lặp"),
        )
    return raised


def _too_many_consulted(day: dt.date, *, actor: Person) -> int:
    limit = setting_int("BARO_FLAG_MAX_CONSULTED")
    key = concat("'needless_consultation:task:'", id_text('i."task_id"'))
    sql = (
        f'SELECT i."task_id", COUNT(DISTINCT i."unit_id") FROM "{T_INPUT}" i '  # noqa: S608
        f'JOIN "{T_TASK}" t ON t."id" = i."task_id" '
        f'WHERE t."status" <> %s AND {no_flag(key)} '
        f'GROUP BY i."task_id" HAVING COUNT(DISTINCT i."unit_id") > %s'
    )
    found = scan_rows(sql, [TaskStatus.CANCELLED.value, limit])
    if not found:
        return 0
    return batched(found, partial(_raise_too_many_consulted, day=day, actor=actor, limit=limit))


def _raise_too_many_consulted(found: list[Any], *, day: dt.date, actor: Person, limit: int) -> int:
    task_ids = [row[0] for row in found]
    tasks = load_tasks(task_ids)
    asked: dict[int, list[InputRequest]] = defaultdict(list)
    for request in InputRequest.objects.filter(task_id__in=task_ids).order_by("requested_at", "pk"):
        asked[request.task_id].append(request)
    people = People.load(
        day,
        [r.unit_id for g in asked.values() for r in g] + [t.lead_unit_id for t in tasks.values()],
        [r.requested_by_id for g in asked.values() for r in g],
    )
    events = by_object(
        load_events(OBJ_INPUT, [r.pk for g in asked.values() for r in g], ["work.input.requested"])
    )
    raised = 0
    for task_id, consulted in found:
        task = tasks[task_id]
        lead = people.units[task.lead_unit_id]
        group = asked[task_id]
        first_per_unit: dict[int, InputRequest] = {}
        for request in group:
            first_per_unit.setdefault(request.unit_id, request)
        evidence = [
            EvidenceItem(
                task_id=task.pk,
                event_id=e.pk,
                note=f"Xin ý kiến {people.units[request.unit_id].name}",
            )
            for request in first_per_unit.values()
            for e in events.get(str(request.pk), [])
        ]
        names = ", ".join(people.units[pk].name for pk in first_per_unit)
        summary = (
            f"{lead.name} xin ý kiến {consulted} đơn vị ({names}) về nhiệm vụ {title_of(task)}, "
            f"quá mức {limit} đơn vị."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.NEEDLESS_CONSULTATION,
            dedupe_key=f"needless_consultation:task:{task.pk}",
            unit=lead,
            person=people.person(group[-1].requested_by_id),
            task=task,
            summary=summary,
            figures={
                "units_consulted": consulted,
                "unit_ids": list(first_per_unit),
                "threshold": limit,
            },
            evidence=ensure_evidence(evidence, task, "Xin ý kiến nhiều đơn vị"),
        )
    return raised


DETECTOR = Detector(
    "needless_consultation",
    detect_needless_consultation,
    (FlagKind.NEEDLESS_CONSULTATION,),
    "Xin ý kiến trùng lặp một nội dung, hoặc xin ý kiến quá nhiều đơn vị",
)
