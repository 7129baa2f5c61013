"""coordinator_vague: a coordinating unit that answers without a clear position.

An answered input request the lead marked as giving no clear position; task not cancelled.

Subject: the consulted unit and who answered (or its head). Evidence: the answered and
marked-unclear events. One flag per input request.

No threshold: the lead's mark is the sign.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

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
    title_of,
)
from baro.oversight.models import FlagKind
from baro.oversight.services import EvidenceItem
from baro.work.models import InputRequest, TaskStatus


def detect_coordinator_vague(day: dt.date, *, actor: Person) -> int:
    """An answered input request the lead marked as giving no clear position."""
    key = concat("'coordinator_vague:input:'", id_text('i."id"'))
    sql = (
        f'SELECT i."id" FROM "{T_INPUT}" i '  # noqa: S608
        f'JOIN "{T_TASK}" t ON t."id" = i."task_id" '
        f'WHERE i."unclear_marked_at" IS NOT NULL AND t."status" <> %s '
        f"AND {no_flag(key)}"
    )
    found = [row[0] for row in scan_rows(sql, [TaskStatus.CANCELLED.value])]
    if not found:
        return 0
    return batched(found, partial(_raise_coordinator_vague, day=day, actor=actor))


def _raise_coordinator_vague(found: list[Any], *, day: dt.date, actor: Person) -> int:
    requests = InputRequest.objects.in_bulk(found)
    tasks = load_tasks(r.task_id for r in requests.values())
    people = People.load(
        day,
        [pk for r in requests.values() for pk in (r.unit_id, tasks[r.task_id].lead_unit_id)],
        [r.answered_by_id for r in requests.values()],
    )
    events = by_object(
        load_events(OBJ_INPUT, found, ["work.input.answered", "work.input.marked_unclear"])
    )
    raised = 0
    for request_id in found:
        request = requests[request_id]
        task = tasks[request.task_id]
        unit = people.units[request.unit_id]
        lead = people.units[task.lead_unit_id]
        evidence = [
            EvidenceItem(
                task_id=task.pk,
                event_id=e.pk,
                note="Ý kiến trả lời"
                if e.action.endswith("answered")
                else f"Đánh dấu chưa rõ quan điểm: {request.unclear_note[:200]}",
            )
            for e in events.get(str(request.pk), [])
        ]
        summary = (
            f"Ý kiến của {unit.name} trả lời {lead.name} về nhiệm vụ {title_of(task)} không nêu "
            f"rõ quan điểm (đơn vị chủ trì nhận xét: {request.unclear_note})."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.COORDINATOR_VAGUE,
            dedupe_key=f"coordinator_vague:input:{request.pk}",
            unit=unit,
            person=people.person(request.answered_by_id) or people.head(unit.pk),
            task=task,
            summary=summary,
            figures={"input_request_id": request.pk, "position": request.position},
            evidence=ensure_evidence(evidence, task, "Ý kiến không rõ quan điểm"),
        )
    return raised


DETECTOR = Detector(
    "coordinator_vague",
    detect_coordinator_vague,
    (FlagKind.COORDINATOR_VAGUE,),
    "Đơn vị phối hợp trả lời không rõ quan điểm",
)
