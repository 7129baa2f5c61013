"""extension_rate: a unit that extends far more often than its sibling units.

A unit whose share of led tasks (assigned in the last BARO_FLAG_RATE_WINDOW_DAYS days, not
cancelled, at least BARO_FLAG_RATE_MIN_TASKS of them) with an approved extension is more than
BARO_FLAG_RATE_FACTOR times the median share of its sibling units (same parent, active, each
with at least the minimum tasks; at least BARO_FLAG_RATE_MIN_SIBLINGS of them). Roots and
dissolved units are not compared, nor a unit with fewer than BARO_FLAG_RATE_MIN_EXTENDED
extended tasks (where the siblings extended nothing, the median is 0 and a single extension
would be "more than twice" it: one is not a pattern).

Subject: the unit and its head. Evidence: up to 20 extended tasks with their approval events.
One flag per unit per calendar quarter.

Settings:
BARO_FLAG_RATE_WINDOW_DAYS   365  tasks assigned within this many days count in the rate
BARO_FLAG_RATE_MIN_TASKS     5    tasks a unit (and each sibling) must lead in the window
BARO_FLAG_RATE_MIN_SIBLINGS  3    siblings with enough tasks needed to compare
BARO_FLAG_RATE_MIN_EXTENDED  2    extended tasks a unit needs before its rate is compared
BARO_FLAG_RATE_FACTOR        2.0  rate above this multiple of the siblings' median flags
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from fractions import Fraction

from baro.core.timeutil import format_date
from baro.org.models import Person, Unit
from baro.org.queries import active_on
from baro.oversight.detectors.common import (
    OBJ_EXTENSION,
    T_EXTENSION,
    T_TASK,
    Detector,
    People,
    chunks,
    date_param,
    load_events,
    load_units,
    marks,
    raise_flag,
    scan_rows,
    setting_float,
    setting_int,
)
from baro.oversight.models import Flag, FlagKind
from baro.oversight.services import EvidenceItem
from baro.work.models import Extension, ExtensionStatus, Task, TaskStatus


def _quarter(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def detect_extension_rate(day: dt.date, *, actor: Person) -> int:
    """A unit's share of extended tasks far above its sibling units' median (once a quarter)."""
    window = setting_int("BARO_FLAG_RATE_WINDOW_DAYS")
    min_tasks = setting_int("BARO_FLAG_RATE_MIN_TASKS")
    min_siblings = setting_int("BARO_FLAG_RATE_MIN_SIBLINGS")
    min_extended = setting_int("BARO_FLAG_RATE_MIN_EXTENDED")
    factor = Fraction(str(setting_float("BARO_FLAG_RATE_FACTOR")))
    since = day - dt.timedelta(days=window)
    quarter = _quarter(day)
    # Extended tasks per lead unit, driven from the approved extensions.
    extended_sql = (
        f'SELECT t."lead_unit_id", COUNT(*) FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE t."id" IN (SELECT e."task_id" FROM "{T_EXTENSION}" e WHERE e."status" = %s) '
        f'AND t."extension_count" > 0 AND t."assigned_on" > %s AND t."status" <> %s '
        f'GROUP BY t."lead_unit_id"'
    )
    extended = dict(
        scan_rows(
            extended_sql,
            [ExtensionStatus.APPROVED.value, date_param(since), TaskStatus.CANCELLED.value],
        )
    )
    # The siblings' shares count every extended task; only the flag needs `min_extended`.
    keys = {
        pk: f"extension_rate:unit:{pk}:{quarter}" for pk, n in extended.items() if n >= min_extended
    }
    if not keys:
        return 0
    flagged = set(
        Flag.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True)
    )
    candidates = {pk for pk, key in keys.items() if key not in flagged}
    if not candidates:
        return 0
    units = load_units(candidates)
    parents = {u.parent_id for u in units.values() if u.parent_id is not None}
    siblings: dict[int, list[int]] = defaultdict(list)
    for pk, parent in (
        Unit.objects.filter(active_on(day), parent_id__in=parents)
        .order_by("pk")
        .values_list("pk", "parent_id")
    ):
        siblings[parent].append(pk)
    counted = sorted({pk for rows in siblings.values() for pk in rows} | candidates)
    totals: dict[int, int] = {}
    for chunk in chunks(counted):
        # One pass over the lead unit's covering index (work_task_lead_cover_idx).
        total_sql = (
            f'SELECT t."lead_unit_id", COUNT(*) FROM "{T_TASK}" t '  # noqa: S608
            f'WHERE t."lead_unit_id" IN ({marks(chunk)}) AND t."status" <> %s '
            f'AND t."assigned_on" > %s GROUP BY t."lead_unit_id"'
        )
        totals.update(scan_rows(total_sql, [*chunk, TaskStatus.CANCELLED.value, date_param(since)]))
    raised = 0
    people = People.load(day, candidates)
    for pk in sorted(candidates):
        unit = people.units[pk]
        total = totals.get(pk, 0)
        # A root has no siblings; a dissolved unit answers through its successor, not here.
        if unit.parent_id is None or not unit.is_active_on(day) or total < min_tasks:
            continue
        peers = [
            Fraction(extended.get(other, 0), totals[other])
            for other in siblings.get(unit.parent_id, [])
            if other != pk and totals.get(other, 0) >= min_tasks
        ]
        if len(peers) < min_siblings:
            continue
        rate = Fraction(extended[pk], total)
        median = Fraction(statistics.median(peers))
        if not rate > factor * median:
            continue
        sample = list(
            Task.objects.filter(lead_unit_id=pk, extension_count__gt=0, assigned_on__gt=since)
            .exclude(status=TaskStatus.CANCELLED)
            .order_by("-assigned_on", "-pk")[:20]
        )
        approvals: dict[int, int] = {}
        ext_task = dict(
            Extension.objects.filter(
                task_id__in=[t.pk for t in sample], status=ExtensionStatus.APPROVED
            ).values_list("pk", "task_id")
        )
        for event in load_events(OBJ_EXTENSION, ext_task, ["work.extension.approved"]):
            approvals[ext_task[int(event.object_id)]] = event.pk  # the latest approval
        evidence = [
            EvidenceItem(
                task_id=t.pk,
                event_id=approvals.get(t.pk),
                note=f"Gia hạn {t.extension_count} lần, hạn hiện nay {format_date(t.deadline)}",
            )
            for t in sample
        ]
        summary = (
            f"{unit.name} có {extended[pk]}/{total} nhiệm vụ chủ trì ({_percent(rate)}) phải gia "
            f"hạn trong {window} ngày qua, hơn {_number(factor)} lần mức trung vị "
            f"{_percent(median)} của {len(peers)} đơn vị cùng cấp."
        )
        raised += raise_flag(
            actor=actor,
            kind=FlagKind.EXTENSION_RATE,
            dedupe_key=keys[pk],
            unit=unit,
            person=people.head(pk),
            task=None,
            summary=summary,
            figures={
                "quarter": quarter,
                "tasks": total,
                "extended": extended[pk],
                "rate": round(float(rate), 4),
                "sibling_median": round(float(median), 4),
                "siblings": len(peers),
                "factor": float(factor),
                "window_days": window,
            },
            evidence=evidence,
        )
    return raised


def _percent(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%".replace(".", ",")


def _number(value: Fraction) -> str:
    return (f"{float(value):g}").replace(".", ",")


DETECTOR = Detector(
    "extension_rate",
    detect_extension_rate,
    (FlagKind.EXTENSION_RATE,),
    "Đơn vị có tỷ lệ nhiệm vụ phải gia hạn cao bất thường so với các đơn vị cùng cấp",
)
