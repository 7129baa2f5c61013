"""bounced: work pushed from unit to unit (Công điện 280/CĐ-TTg: handing one's work sideways).

Two rules, both driven from the disputes (every refusal opens one; the table is tiny next to
work_task):

- a unit that refused, within the last BARO_FLAG_BOUNCE_WINDOW_DAYS days, at least
  BARO_FLAG_BOUNCES tasks which the competent head then decided were its own (the dispute
  decided back to the refusing unit): counted per unit across every task it received, a task
  the assigner cancelled and assigned again for the same work included (a decided unit cannot
  refuse the same task twice, so it is across tasks that a unit bounces work again and again).
  A refusal upheld (decided to another unit) was right and is not counted; one still waiting
  for its decision is not counted yet (the ladder chases the decider meanwhile).
  Subject: the unit and its head. Evidence: each counted refusal's `work.task.refused` and
  `work.dispute.decided` events, with their tasks. A new flag each time a further refusal is
  counted (the key names the latest one);
- an open task whose disputes name more than BARO_FLAG_BOUNCE_UNITS distinct units (refusing,
  proposed and decided units together): moved across units without being resolved. A
  completed or cancelled task is resolved: not flagged. Subject: the unit that refused last
  (the latest dispute's refusing unit) and its head. Evidence: each `work.task.refused` and
  `work.dispute.decided` event. One flag per task.

Settings:
BARO_FLAG_BOUNCES             2    refusals decided back to the unit that make it "bouncing"
BARO_FLAG_BOUNCE_WINDOW_DAYS  365  refusals within this many days count
BARO_FLAG_BOUNCE_UNITS        2    more distinct units than this in a task's disputes
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial
from typing import Any

from django.db.models import F
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
    midnight_param,
    no_flag,
    payload,
    raise_flag,
    scan_rows,
    setting_int,
    title_of,
)
from baro.oversight.models import Flag, FlagKind
from baro.oversight.services import EvidenceItem
from baro.work.models import Dispute, DisputeStatus


def detect_bounced(day: dt.date, *, actor: Person) -> int:
    """Units that bounced their own work BARO_FLAG_BOUNCES times, and open tasks disputed
    across more than BARO_FLAG_BOUNCE_UNITS distinct units."""
    return _detect_bouncing_units(day, actor=actor) + _detect_spread(day, actor=actor)


def _detect_bouncing_units(day: dt.date, *, actor: Person) -> int:
    bounces = setting_int("BARO_FLAG_BOUNCES")
    window = setting_int("BARO_FLAG_BOUNCE_WINDOW_DAYS")
    since = day - dt.timedelta(days=window)
    sql = (
        f'SELECT d."refusing_unit_id", MAX(d."id") FROM "{T_DISPUTE}" d '  # noqa: S608
        f'WHERE d."status" = %s AND d."decided_unit_id" = d."refusing_unit_id" '
        f'AND d."opened_at" >= %s GROUP BY d."refusing_unit_id" HAVING COUNT(*) >= %s'
    )
    found = scan_rows(sql, [DisputeStatus.DECIDED.value, midnight_param(since), bounces])
    keys = {unit_id: f"bounced:unit:{unit_id}:{last}" for unit_id, last in found}
    if not keys:
        return 0
    flagged = set(
        Flag.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True)
    )
    candidates = sorted(pk for pk, key in keys.items() if key not in flagged)
    if not candidates:
        return 0
    people = People.load(day, candidates)
    counted: dict[int, list[Dispute]] = defaultdict(list)
    rows = (
        Dispute.objects.filter(
            refusing_unit_id__in=candidates,
            decided_unit_id=F("refusing_unit_id"),
            status=DisputeStatus.DECIDED,
            opened_at__gte=dt.datetime.combine(
                since, dt.time.min, tzinfo=timezone.get_current_timezone()
            ),
        )
        .select_related("task")
        .order_by("opened_at", "pk")
    )
    for dispute in rows:
        counted[dispute.refusing_unit_id].append(dispute)
    disputes = [d for own in counted.values() for d in own]
    refused: dict[int, int] = {}
    for event in load_events(OBJ_TASK, {d.task_id for d in disputes}, ["work.task.refused"]):
        dispute_id = (payload(event).get("dispute") or {}).get("id")
        if dispute_id is not None:
            refused[int(dispute_id)] = event.pk
    decided = {
        int(event.object_id): event.pk
        for event in load_events(OBJ_DISPUTE, [d.pk for d in disputes], ["work.dispute.decided"])
    }
    raised = 0
    for unit_id in candidates:
        unit = people.units[unit_id]
        own = counted[unit_id]
        evidence: list[EvidenceItem] = []
        for d in own:
            evidence.append(
                EvidenceItem(task_id=d.task_id, event_id=refused.get(d.pk), note="Từ chối nhiệm vụ")
            )
            if d.pk in decided:
                evidence.append(
                    EvidenceItem(
                        task_id=d.task_id,
                        event_id=decided[d.pk],
                        note=f"Quyết định {unit.name} chủ trì: đúng thẩm quyền của đơn vị",
                    )
                )
        titles = "; ".join(title_of(d.task) for d in own[-5:])
        summary = (
            f"{unit.name} đã {len(own)} lần từ chối nhiệm vụ trong {window} ngày qua mà cấp có "
            f"thẩm quyền đều quyết định thuộc trách nhiệm của chính đơn vị ({titles})."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.BOUNCED,
            dedupe_key=keys[unit_id],
            unit=unit,
            person=people.head(unit_id),
            task=None,
            summary=summary,
            figures={
                "bounces": len(own),
                "tasks": len({d.task_id for d in own}),
                "threshold": bounces,
                "window_days": window,
                "task_ids": sorted({d.task_id for d in own}),
                "dispute_ids": [d.pk for d in own],
            },
            evidence=evidence,
        )
    return raised


def _detect_spread(day: dt.date, *, actor: Person) -> int:
    spread = setting_int("BARO_FLAG_BOUNCE_UNITS")
    key = concat("'bounced:task:'", id_text('t."id"'))
    sql = (
        f'SELECT t."id", u."units" FROM "{T_TASK}" t JOIN ('  # noqa: S608
        f'SELECT x."task_id", COUNT(DISTINCT x."unit_id") AS "units" FROM ('
        f'SELECT "task_id", "refusing_unit_id" AS "unit_id" FROM "{T_DISPUTE}" '
        f'UNION ALL SELECT "task_id", "proposed_unit_id" FROM "{T_DISPUTE}" '
        f'UNION ALL SELECT "task_id", "decided_unit_id" FROM "{T_DISPUTE}" '
        f'WHERE "decided_unit_id" IS NOT NULL) x GROUP BY x."task_id"'
        f') u ON u."task_id" = t."id" '
        f'WHERE t."status" NOT IN ({marks(CLOSED)}) '
        f'AND u."units" > %s '
        f"AND {no_flag(key)}"
    )
    found = scan_rows(sql, [*CLOSED, spread])
    if not found:
        return 0
    return batched(found, partial(_raise_bounced, day=day, actor=actor, spread=spread))


def _raise_bounced(found: list[Any], *, day: dt.date, actor: Person, spread: int) -> int:
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
            f"Nhiệm vụ {title_of(task)} đã bị từ chối {len(rows)} lần, chuyển qua "
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
                "bounces": len(rows),
                "distinct_units": distinct,
                "unit_ids": involved,
                "dispute_ids": [d.pk for d in rows],
                "threshold_units": spread,
            },
            evidence=ensure_evidence(evidence, task, "Nhiệm vụ bị từ chối"),
        )
    return raised


DETECTOR = Detector(
    "bounced",
    detect_bounced,
    (FlagKind.BOUNCED,),
    "Đơn vị nhiều lần từ chối việc thuộc thẩm quyền của mình; nhiệm vụ bị đùn đẩy qua lại "
    "giữa các đơn vị mà chưa được giải quyết",
)
