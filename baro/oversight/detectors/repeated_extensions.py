"""repeated_extensions: one task extended again and again.

extension_count ≥ BARO_FLAG_EXTENSIONS on a task not cancelled (repeated delays stay part of
the record when the task was completed in the end).

Subject: the lead unit and its head. Evidence: the extensions' requested and approved events.
One flag per task.

Settings:
BARO_FLAG_EXTENSIONS  2   approved extensions of one task that raise a flag
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial
from typing import Any

from baro.core.timeutil import format_date
from baro.org.models import Person
from baro.oversight.detectors.common import (
    OBJ_EXTENSION,
    T_EXTENSION,
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
from baro.work.models import Extension, ExtensionStatus, TaskStatus


def detect_repeated_extensions(day: dt.date, *, actor: Person) -> int:
    """extension_count ≥ BARO_FLAG_EXTENSIONS on a task that was not cancelled."""
    threshold = setting_int("BARO_FLAG_EXTENSIONS")
    key = concat("'repeated_extensions:task:'", id_text('t."id"'))
    # Driven from the approved extensions (only tasks extended at least once can match).
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE t."id" IN (SELECT e."task_id" FROM "{T_EXTENSION}" e WHERE e."status" = %s) '
        f'AND t."extension_count" >= %s AND t."status" <> %s '
        f"AND {no_flag(key)}"
    )
    found = [
        row[0]
        for row in scan_rows(
            sql, [ExtensionStatus.APPROVED.value, threshold, TaskStatus.CANCELLED.value]
        )
    ]
    if not found:
        return 0
    return batched(
        found, partial(_raise_repeated_extensions, day=day, actor=actor, threshold=threshold)
    )


def _raise_repeated_extensions(
    found: list[Any], *, day: dt.date, actor: Person, threshold: int
) -> int:
    tasks = load_tasks(found)
    extensions: dict[int, list[Extension]] = defaultdict(list)
    for extension in Extension.objects.filter(
        task_id__in=found, status=ExtensionStatus.APPROVED
    ).order_by("decided_at", "pk"):
        extensions[extension.task_id].append(extension)
    events = by_object(
        load_events(
            OBJ_EXTENSION,
            [e.pk for rows in extensions.values() for e in rows],
            ["work.extension.requested", "work.extension.approved"],
        )
    )
    people = People.load(day, (t.lead_unit_id for t in tasks.values()))
    raised = 0
    for task_id in found:
        task = tasks[task_id]
        rows = extensions[task_id]
        unit = people.units[task.lead_unit_id]
        evidence: list[EvidenceItem] = []
        for extension in rows:
            for event in events.get(str(extension.pk), []):
                what = "Đề nghị" if event.action.endswith("requested") else "Đồng ý"
                evidence.append(
                    EvidenceItem(
                        task_id=task.pk,
                        event_id=event.pk,
                        note=f"{what} gia hạn từ {format_date(extension.old_deadline)} đến "
                        f"{format_date(extension.new_deadline)}",
                    )
                )
        first = rows[0].old_deadline if rows else task.deadline
        summary = (
            f"Nhiệm vụ {title_of(task)} do {unit.name} chủ trì đã được gia hạn "
            f"{task.extension_count} lần: hạn ban đầu {format_date(first)}, hạn hiện nay "
            f"{format_date(task.deadline)}."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.REPEATED_EXTENSIONS,
            dedupe_key=f"repeated_extensions:task:{task.pk}",
            unit=unit,
            person=people.head(unit.pk),
            task=task,
            summary=summary,
            figures={
                "extensions": task.extension_count,
                "first_deadline": first.isoformat(),
                "deadline": task.deadline.isoformat(),
                "threshold": threshold,
            },
            evidence=ensure_evidence(evidence, task, "Nhiệm vụ được gia hạn nhiều lần"),
        )
    return raised


DETECTOR = Detector(
    "repeated_extensions",
    detect_repeated_extensions,
    (FlagKind.REPEATED_EXTENSIONS,),
    "Nhiệm vụ được gia hạn nhiều lần",
)
