"""repeated_returns: results sent back again and again.

return_count ≥ BARO_FLAG_RETURNS on a task not cancelled.

Subject: the lead unit and its head. Evidence: the `work.task.returned` events. One flag per
task.

Settings:
BARO_FLAG_RETURNS  2   results sent back on one task that raise a flag
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from baro.org.models import Person
from baro.oversight.detectors.common import (
    OBJ_TASK,
    T_EVENT,
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
    payload,
    raise_flag,
    scan_rows,
    setting_int,
    title_of,
)
from baro.oversight.models import FlagKind
from baro.oversight.services import EvidenceItem
from baro.work.models import TaskStatus


def detect_repeated_returns(day: dt.date, *, actor: Person) -> int:
    """return_count ≥ BARO_FLAG_RETURNS on a task that was not cancelled."""
    threshold = setting_int("BARO_FLAG_RETURNS")
    key = concat("'repeated_returns:task:'", id_text('t."id"'))
    # Driven from the ledger's return events (indexed by action): no table of returns exists,
    # and scanning work_task's return_count would read every task.
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE t."id" IN (SELECT CAST(e."object_id" AS BIGINT) FROM "{T_EVENT}" e '
        f'WHERE e."action" = %s AND e."object_type" = %s) '
        f'AND t."return_count" >= %s AND t."status" <> %s '
        f"AND {no_flag(key)}"
    )
    params = ["work.task.returned", OBJ_TASK, threshold, TaskStatus.CANCELLED.value]
    found = [row[0] for row in scan_rows(sql, params)]
    if not found:
        return 0
    return batched(
        found, partial(_raise_repeated_returns, day=day, actor=actor, threshold=threshold)
    )


def _raise_repeated_returns(
    found: list[Any], *, day: dt.date, actor: Person, threshold: int
) -> int:
    tasks = load_tasks(found)
    returned = by_object(load_events(OBJ_TASK, found, ["work.task.returned"]))
    people = People.load(day, (t.lead_unit_id for t in tasks.values()))
    raised = 0
    for task_id in found:
        task = tasks[task_id]
        unit = people.units[task.lead_unit_id]
        evidence = [
            EvidenceItem(
                task_id=task.pk,
                event_id=e.pk,
                note=f"Trả lại kết quả: {str(payload(e).get('reason', ''))[:200]}",
            )
            for e in returned.get(str(task.pk), [])
        ]
        summary = (
            f"Kết quả nhiệm vụ {title_of(task)} do {unit.name} chủ trì đã bị trả lại "
            f"{task.return_count} lần."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.REPEATED_RETURNS,
            dedupe_key=f"repeated_returns:task:{task.pk}",
            unit=unit,
            person=people.head(unit.pk),
            task=task,
            summary=summary,
            figures={"returns": task.return_count, "threshold": threshold},
            evidence=ensure_evidence(evidence, task, "Kết quả bị trả lại"),
        )
    return raised


DETECTOR = Detector(
    "repeated_returns",
    detect_repeated_returns,
    (FlagKind.REPEATED_RETURNS,),
    "Kết quả nhiệm vụ bị trả lại nhiều lần",
)
