"""urged_still_overdue: overdue after more than N urgings.

An open task past its deadline with more than BARO_URGINGS_BEFORE_LEADERSHIP urgings (steps
in URGING_STEPS) for its current deadline: Hà Nội takes it to the city leadership's briefing
(QĐ 847/QĐ-UBND 2023).

Subject: the lead unit and its head. Evidence: the urgings' ledger events (a ladder step's or
an urging by hand's, or the urging letter's). One flag per task and deadline.

Settings:
BARO_URGINGS_BEFORE_LEADERSHIP  3   urgings after which an overdue task goes to leadership
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
    OBJ_LETTER,
    OBJ_TASK,
    OPEN,
    T_TASK,
    T_URGING,
    Detector,
    People,
    batched,
    concat,
    date_param,
    date_text,
    ensure_evidence,
    id_text,
    load_events,
    load_tasks,
    marks,
    no_flag,
    payload,
    raise_flag,
    scan_rows,
    setting_int,
    title_of,
)
from baro.oversight.models import URGING_STEPS, FlagKind, LadderStep, Urging
from baro.oversight.services import EvidenceItem

_URGING_STEPS = tuple(sorted(str(s) for s in URGING_STEPS))
_URGING_ACTIONS = (
    *(f"oversight.ladder.{s}" for s in _URGING_STEPS if s != LadderStep.MANUAL),
    "oversight.task.urged",
)


def detect_urged_still_overdue(day: dt.date, *, actor: Person) -> int:
    """An open task past its deadline urged more than BARO_URGINGS_BEFORE_LEADERSHIP times for
    that deadline (Hà Nội, QĐ 847/QĐ-UBND 2023: it goes to the leadership's briefing)."""
    limit = setting_int("BARO_URGINGS_BEFORE_LEADERSHIP")
    key = concat("'urged_still_overdue:task:'", id_text('t."id"'), "':'", date_text('t."deadline"'))
    # Overdue open tasks through work_task_due_idx (status, deadline), each counted through
    # oversight_urging_task_idx (task, deadline).
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE t."status" IN ({marks(OPEN)}) AND t."deadline" < %s AND {no_flag(key)} '
        f'AND (SELECT COUNT(*) FROM "{T_URGING}" u WHERE u."task_id" = t."id" '
        f'AND u."deadline" = t."deadline" AND u."step" IN ({marks(_URGING_STEPS)})) > %s'
    )
    found = scan_rows(sql, [*OPEN, date_param(day), *_URGING_STEPS, limit])
    if not found:
        return 0
    return batched(found, partial(_raise_urged_still_overdue, day=day, actor=actor, limit=limit))


def _raise_urged_still_overdue(found: list[Any], *, day: dt.date, actor: Person, limit: int) -> int:
    task_ids = [row[0] for row in found]
    tasks = load_tasks(task_ids)
    urgings: dict[int, list[Urging]] = defaultdict(list)
    for urging in Urging.objects.filter(task_id__in=task_ids, step__in=_URGING_STEPS).order_by(
        "created_at", "pk"
    ):
        if urging.deadline == tasks[urging.task_id].deadline:
            urgings[urging.task_id].append(urging)
    # The urgings' events: ladder steps and urgings by hand name their urging in the payload;
    # an urging letter's event is the letter's own.
    by_urging: dict[int, int] = {}
    for event in load_events(OBJ_TASK, task_ids, _URGING_ACTIONS):
        urging_id = payload(event).get("urging_id")
        if isinstance(urging_id, int):
            by_urging[urging_id] = event.pk
    letters = {u.letter_id for rows in urgings.values() for u in rows if u.letter_id}
    by_letter = {
        int(e.object_id): e.pk
        for e in load_events(OBJ_LETTER, letters, ["oversight.letter.issued"])
    }
    people = People.load(day, (t.lead_unit_id for t in tasks.values()))
    raised = 0
    for task_id in task_ids:
        task = tasks[task_id]
        unit = people.units[task.lead_unit_id]
        count = len(urgings[task_id])
        evidence = []
        for urging in urgings[task_id]:
            event_id = by_urging.get(urging.pk)
            if event_id is None and urging.letter_id is not None:
                event_id = by_letter.get(urging.letter_id)
            evidence.append(
                EvidenceItem(
                    task_id=task.pk,
                    event_id=event_id,
                    note=f"{LadderStep(urging.step).label} ngày "
                    f"{format_date(timezone.localtime(urging.created_at).date())}",
                )
            )
        summary = (
            f"Nhiệm vụ {title_of(task)} do {unit.name} chủ trì quá hạn từ "
            f"{format_date(task.deadline)} và đã bị đôn đốc {count} lần mà vẫn chưa hoàn thành. "
            f"Theo Quyết định 847/QĐ-UBND (2023) của Hà Nội, nhiệm vụ quá hạn sau hơn {limit} "
            "lần đôn đốc được báo cáo lãnh đạo tại buổi giao ban gần nhất."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.URGED_STILL_OVERDUE,
            dedupe_key=f"urged_still_overdue:task:{task.pk}:{task.deadline.isoformat()}",
            unit=unit,
            person=people.head(unit.pk),
            task=task,
            summary=summary,
            figures={
                "deadline": task.deadline.isoformat(),
                "urgings": count,
                "threshold": limit,
                "days_overdue": (day - task.deadline).days,
            },
            evidence=ensure_evidence(evidence, task, "Nhiệm vụ quá hạn"),
        )
    return raised


DETECTOR = Detector(
    "urged_still_overdue",
    detect_urged_still_overdue,
    (FlagKind.URGED_STILL_OVERDUE,),
    "Nhiệm vụ vẫn quá hạn sau hơn 3 lần đôn đốc (báo cáo lãnh đạo tại giao ban)",
)
