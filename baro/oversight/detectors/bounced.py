"""bounced: a task pushed from unit to unit and not resolved.

An open task refused at least BARO_FLAG_BOUNCES times (bounce_count), or whose disputes name
more than BARO_FLAG_BOUNCE_UNITS distinct units (refusing, proposed and decided units
together). A completed or cancelled task is resolved: not flagged.

Subject: the unit that refused last (the latest dispute's refusing unit) and its head.
Evidence: each `work.task.refused` and `work.dispute.decided` event. One flag per task.

Settings:
BARO_FLAG_BOUNCES       2   refusals of one task that make it "bounced"
BARO_FLAG_BOUNCE_UNITS  2   more distinct units than this in a task's disputes
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
    CLOSED,
    OBJ_DISPUTE,
    OBJ_TASK,
    T_DISPUTE,
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
    marks,
    no_flag,
    raise_flag,
    scan_rows,
    setting_int,
    title_of,
)
from baro.oversight.models import FlagKind
from baro.oversight.services import EvidenceItem
from baro.work.models import Dispute


def detect_bounced(day: dt.date, *, actor: Person) -> int:
    """Refused at least BARO_FLAG_BOUNCES times, or disputed across more than
    BARO_FLAG_BOUNCE_UNITS distinct units, and not resolved (not completed nor cancelled)."""
    bounces = setting_int("BARO_FLAG_BOUNCES")
    spread = setting_int("BARO_FLAG_BOUNCE_UNITS")
    key = concat("'bounced:task:'", id_text('t."id"'))
    # Driven from the disputes: every refusal opens one, so a bounced task always has rows
    # there, and the table is tiny next to work_task.
    sql = (
        f'SELECT t."id", u."units" FROM "{T_TASK}" t JOIN ('  # noqa: S608
        f'SELECT x."task_id", COUNT(DISTINCT x."unit_id") AS "units" FROM ('
        f'SELECT "task_id", "refusing_unit_id" AS "unit_id" FROM "{T_DISPUTE}" '
        f'UNION ALL SELECT "task_id", "proposed_unit_id" FROM "{T_DISPUTE}" '
        f'UNION ALL SELECT "task_id", "decided_unit_id" FROM "{T_DISPUTE}" '
        f'WHERE "decided_unit_id" IS NOT NULL) x GROUP BY x."task_id"'
        f') u ON u."task_id" = t."id" '
        f'WHERE t."status" NOT IN ({marks(CLOSED)}) '
        f'AND (t."bounce_count" >= %s OR u."units" > %s) '
        f"AND {no_flag(key)}"
    )
    found = scan_rows(sql, [*CLOSED, bounces, spread])
    if not found:
        return 0
    return batched(
        found, partial(_raise_bounced, day=day, actor=actor, bounces=bounces, spread=spread)
    )


def _raise_bounced(
    found: list[Any], *, day: dt.date, actor: Person, bounces: int, spread: int
) -> int:
    tasks = load_tasks(row[0] for row in found)
    disputes: dict[int, list[Dispute]] = defaultdict(list)
    for dispute in Dispute.objects.filter(task_id__in=list(tasks)).order_by("opened_at", "pk"):
        disputes[dispute.task_id].append(dispute)
    unit_ids = {
        pk
        for rows in disputes.values()
        for d in rows
        for pk in (d.refusing_unit_id, d.proposed_unit_id, d.decided_unit_id)
        if pk is not None
    }
    people = People.load(day, unit_ids)
    refused = by_object(load_events(OBJ_TASK, tasks, ["work.task.refused"]))
    decided = by_object(
        load_events(
            OBJ_DISPUTE,
            [d.pk for rows in disputes.values() for d in rows],
            ["work.dispute.decided"],
        )
    )
    raised = 0
    for task_id, distinct in found:
        task = tasks[task_id]
        rows = disputes[task_id]
        last = rows[-1]
        unit = people.units[last.refusing_unit_id]
        involved: list[int] = []
        for d in rows:
            for pk in (d.refusing_unit_id, d.proposed_unit_id, d.decided_unit_id):
                if pk is not None and pk not in involved:
                    involved.append(pk)
        evidence = [
            EvidenceItem(task_id=task.pk, event_id=e.pk, note="Từ chối nhiệm vụ")
            for e in refused.get(str(task.pk), [])
        ]
        for d in rows:
            evidence += [
                EvidenceItem(
                    task_id=task.pk,
                    event_id=e.pk,
                    note=f"Quyết định giao {people.units[d.decided_unit_id].name} chủ trì"
                    if d.decided_unit_id
                    else "Quyết định tranh chấp",
                )
                for e in decided.get(str(d.pk), [])
            ]
        evidence.sort(key=lambda item: item.event_id or 0)
        names = ", ".join(people.units[pk].name for pk in involved)
        summary = (
            f"Nhiệm vụ {title_of(task)} đã bị từ chối {task.bounce_count} lần, chuyển qua "
            f"{distinct} đơn vị ({names}) mà chưa được giải quyết; lần từ chối gần nhất của "
            f"{unit.name} ngày {format_date(timezone.localtime(last.opened_at).date())}."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.BOUNCED,
            dedupe_key=f"bounced:task:{task.pk}",
            unit=unit,
            person=people.head(unit.pk),
            task=task,
            summary=summary,
            figures={
                "bounces": task.bounce_count,
                "distinct_units": distinct,
                "unit_ids": involved,
                "dispute_ids": [d.pk for d in rows],
                "threshold": bounces,
                "threshold_units": spread,
            },
            evidence=ensure_evidence(evidence, task, "Nhiệm vụ bị từ chối"),
        )
    return raised


DETECTOR = Detector(
    "bounced",
    detect_bounced,
    (FlagKind.BOUNCED,),
    "Nhiệm vụ bị từ chối, đùn đẩy qua lại giữa các đơn vị mà chưa được giải quyết",
)
