"""coordinator_silent: a coordinating unit that lets an input request pass its due date.

An input request past its due date (due_on < day) with no answer, on an open task: silence
counts as agreement and the silent unit answers for it (Công điện 280/CĐ-TTg).

Subject: the consulted unit and its head. Evidence: the request event. One flag per input
request.

No threshold: the request's own due date is the limit.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from baro.core.timeutil import format_date
from baro.org.models import Person
from baro.oversight.detectors.common import (
    CLOSED,
    OBJ_INPUT,
    T_INPUT,
    T_TASK,
    Detector,
    People,
    batched,
    by_object,
    concat,
    date_param,
    ensure_evidence,
    id_text,
    load_events,
    load_tasks,
    marks,
    no_flag,
    raise_flag,
    scan_rows,
    title_of,
)
from baro.oversight.models import FlagKind
from baro.oversight.services import EvidenceItem
from baro.work.models import InputRequest


def detect_coordinator_silent(day: dt.date, *, actor: Person) -> int:
    """An input request past its due date without an answer, on an open task."""
    key = concat("'coordinator_silent:input:'", id_text('i."id"'))
    sql = (
        f'SELECT i."id" FROM "{T_INPUT}" i '  # noqa: S608
        f'JOIN "{T_TASK}" t ON t."id" = i."task_id" '
        f'WHERE i."due_on" < %s AND i."answered_at" IS NULL '  # work_input_due_idx
        f'AND t."status" NOT IN ({marks(CLOSED)}) AND {no_flag(key)}'
    )
    found = [row[0] for row in scan_rows(sql, [date_param(day), *CLOSED])]
    if not found:
        return 0
    return batched(found, partial(_raise_coordinator_silent, day=day, actor=actor))


def _raise_coordinator_silent(found: list[Any], *, day: dt.date, actor: Person) -> int:
    requests = InputRequest.objects.in_bulk(found)
    tasks = load_tasks(r.task_id for r in requests.values())
    people = People.load(
        day,
        [pk for r in requests.values() for pk in (r.unit_id, tasks[r.task_id].lead_unit_id)],
    )
    events = by_object(load_events(OBJ_INPUT, found, ["work.input.requested"]))
    raised = 0
    for request_id in found:
        request = requests[request_id]
        task = tasks[request.task_id]
        unit = people.units[request.unit_id]
        lead = people.units[task.lead_unit_id]
        late = (day - request.due_on).days
        evidence = [
            EvidenceItem(
                task_id=task.pk,
                event_id=e.pk,
                note=f"Xin ý kiến {unit.name}, hạn trả lời {format_date(request.due_on)}",
            )
            for e in events.get(str(request.pk), [])
        ]
        summary = (
            f"{unit.name} không trả lời xin ý kiến của {lead.name} về nhiệm vụ {title_of(task)} "
            f"đến hạn {format_date(request.due_on)} (đã quá {late} ngày). Theo Công điện "
            f"280/CĐ-TTg, không trả lời đúng hạn được coi là đồng ý và {unit.name} chịu trách "
            "nhiệm về việc này."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.COORDINATOR_SILENT,
            dedupe_key=f"coordinator_silent:input:{request.pk}",
            unit=unit,
            person=people.head(unit.pk),
            task=task,
            summary=summary,
            figures={
                "input_request_id": request.pk,
                "due_on": request.due_on.isoformat(),
                "days_overdue": late,
                "counts_as_agreement": True,
            },
            evidence=ensure_evidence(evidence, task, "Xin ý kiến đơn vị phối hợp"),
        )
    return raised


DETECTOR = Detector(
    "coordinator_silent",
    detect_coordinator_silent,
    (FlagKind.COORDINATOR_SILENT,),
    "Đơn vị phối hợp không trả lời xin ý kiến đúng hạn (im lặng được coi là đồng ý)",
)
