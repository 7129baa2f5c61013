"""The avoidance detectors (Công điện 280/CĐ-TTg 19/4/2023, Nghị quyết 97/NQ-CP 2023): signs
that a unit or an official avoids, pushes away or sits on work, raised as flags (baro.oversight
models.Flag) for an inspector or the superior to confirm or dismiss.

The worker calls `run_detectors(day, actor=system)` once per pass. Each detector

- finds its candidates with one set-based query (two for the consultation detector, a few
  aggregates for the extension rate) that already leaves out every subject flagged before, by
  an anti-join on oversight_flag.dedupe_key (unique, so each probe is one index lookup): a pass
  over a million open tasks reads only what could still be new, never loops over tasks in
  Python;
- drives that query from the smallest table that can hold a match (disputes for bounces,
  approved extensions for extensions, the ledger's `work.task.returned` events for returns,
  overdue or zero-progress tasks through the indexes of work_task and of migration 0002);
- then, 500 candidates at a time (the rows, events and people they name are loaded in bulk),
  raises each flag through `baro.oversight.services.flag_raise`: one command, one
  transaction, one `oversight.flag.raised` ledger event and the inspectors' notifications per
  flag, with evidence rows pointing at the ledger events and tasks behind it. A flag another
  worker raised meanwhile is not counted (flag_raise returns None, or the unique key refuses
  the second insert on PostgreSQL).

The rules (subject = the flag's unit and person; "open" = not completed nor cancelled):

bounced                 an open task refused at least BARO_FLAG_BOUNCES times (bounce_count), or
                        whose disputes name more than BARO_FLAG_BOUNCE_UNITS distinct units
                        (refusing, proposed and decided units together). Subject: the unit that
                        refused last (the latest dispute's refusing unit) and its head. Evidence:
                        each `work.task.refused` and `work.dispute.decided` event. One per task.
                        A completed or cancelled task is resolved: not flagged.
not_accepted            a task still "assigned" (waiting for acceptance) more than
                        BARO_FLAG_ACCEPT_WORKING_DAYS working days after it reached its lead:
                        the assignment, or the dispute decision that gave it to this lead. Subject:
                        the lead unit and its head. Evidence: `work.task.assigned` (and the
                        `work.dispute.decided` that restarted the wait). One per task and lead.
repeated_extensions     extension_count ≥ BARO_FLAG_EXTENSIONS on a task not cancelled (repeated
                        delays stay part of the record when the task was completed in the end).
                        Subject: lead unit and head. Evidence: the extensions' requested and
                        approved events. One per task.
extension_rate          a unit whose share of led tasks (assigned in the last
                        BARO_FLAG_RATE_WINDOW_DAYS days, not cancelled, at least
                        BARO_FLAG_RATE_MIN_TASKS of them) with an approved extension is more than
                        BARO_FLAG_RATE_FACTOR times the median share of its sibling units (same
                        parent, active, each with at least the minimum tasks; at least
                        BARO_FLAG_RATE_MIN_SIBLINGS of them); roots and dissolved units are
                        not compared, nor a unit with fewer than BARO_FLAG_RATE_MIN_EXTENDED
                        extended tasks (where the siblings extended nothing, the median is 0
                        and a single extension would be "more than twice" it: one is not a
                        pattern). Subject: the unit and its head.
                        Evidence: up to 20 extended tasks with their approval events. One per
                        unit per calendar quarter.
repeated_returns        return_count ≥ BARO_FLAG_RETURNS on a task not cancelled. Subject: lead
                        unit and head. Evidence: the `work.task.returned` events. One per task.
guidance_within_authority  a guidance request the superior answered as within the asking unit's
                        own authority, or that repeats a question already answered before it was
                        asked again; task not cancelled. Subject: the asking unit and the person
                        who asked. Evidence: the request's (and the original's) requested and
                        answered events. One per guidance request.
coordinator_silent      an input request past its due date (due_on < day) with no answer, on an
                        open task: silence counts as agreement and the silent unit answers for it.
                        Subject: the consulted unit and its head. Evidence: the request event.
                        One per input request.
coordinator_vague       an answered input request the lead marked as giving no clear position;
                        task not cancelled. Subject: the consulted unit and who answered.
                        Evidence: the answered and marked-unclear events. One per input request.
needless_consultation   the same question asked of the same coordinating unit twice or more (an
                        input request with repeat_of; one flag per original question), or a task
                        whose lead consulted more than BARO_FLAG_MAX_CONSULTED distinct units (one
                        per task); task not cancelled. Guidance repeats belong to
                        guidance_within_authority. Subject: the task's lead unit and the person
                        who asked (the latest request). Evidence: the request events.
urged_still_overdue     an open task past its deadline with more than
                        BARO_URGINGS_BEFORE_LEADERSHIP urgings (steps in URGING_STEPS) for its
                        current deadline: Hà Nội takes it to the city leadership's briefing (QĐ
                        847/QĐ-UBND 2023). Subject: lead unit and head. Evidence: the urgings'
                        ledger events. One per task and deadline.
overdue_not_updated     a task its lead is working on ("assigned" or "in progress"), past its
                        deadline and not updated as baro.work.rules.not_updated says (no progress
                        report for more than BARO_NOT_UPDATED_DAYS days, counted from the last
                        report or the assignment). Subject: lead unit and the officer (or the
                        head). Evidence: the assignment and the last progress report events. One
                        per task and deadline.
stalled_at_zero         an "assigned" or "in progress" task at 0% once more than
                        BARO_FLAG_STALLED_PERCENT_OF_TIME percent of its time (assigned_on →
                        deadline, calendar days) has passed. Subject: lead unit and the officer
                        (or the head). Evidence: the assignment and any progress report events.
                        One per task and deadline.

Settings (read at each pass with getattr, so a test or an administrator changes them without
a code change):

BARO_FLAG_BOUNCES                  2    refusals of one task that make it "bounced"
BARO_FLAG_BOUNCE_UNITS             2    more distinct units than this in a task's disputes
BARO_FLAG_ACCEPT_WORKING_DAYS      3    working days a task may wait for acceptance
BARO_FLAG_EXTENSIONS               2    approved extensions of one task that raise a flag
BARO_FLAG_RATE_WINDOW_DAYS         365  tasks assigned within this many days count in the rate
BARO_FLAG_RATE_MIN_TASKS           5    tasks a unit (and each sibling) must lead in the window
BARO_FLAG_RATE_MIN_SIBLINGS        3    siblings with enough tasks needed to compare
BARO_FLAG_RATE_MIN_EXTENDED        2    extended tasks a unit needs before its rate is compared
BARO_FLAG_RATE_FACTOR              2.0  rate above this multiple of the siblings' median flags
BARO_FLAG_RETURNS                  2    results sent back on one task that raise a flag
BARO_FLAG_MAX_CONSULTED            4    distinct units a lead may consult on one task
BARO_FLAG_STALLED_PERCENT_OF_TIME  50   share of the time (percent) after which 0% is stalled
BARO_URGINGS_BEFORE_LEADERSHIP     3    urgings after which an overdue task goes to leadership
BARO_NOT_UPDATED_DAYS              7    (baro.work.rules) days without a progress report
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection
from django.utils import timezone

from baro.core.timeutil import format_date
from baro.ledger.models import LedgerEvent
from baro.org.models import Person, Unit
from baro.org.queries import active_on
from baro.oversight.models import URGING_STEPS, Flag, FlagKind, LadderStep, Urging
from baro.oversight.people import heads_of, persons_by_id
from baro.oversight.services import EvidenceItem, flag_raise
from baro.work import rules
from baro.work.models import (
    Dispute,
    Extension,
    ExtensionStatus,
    GuidanceRequest,
    InputRequest,
    Task,
    TaskStatus,
)
from baro.workdays.calendar import working_days_between

logger = logging.getLogger(__name__)

__all__ = ["DETECTORS", "Detector", "run_detectors"]

# --------------------------------------------------------------------------------------------
# settings

DEFAULTS: dict[str, int | float] = {
    "BARO_FLAG_BOUNCES": 2,
    "BARO_FLAG_BOUNCE_UNITS": 2,
    "BARO_FLAG_ACCEPT_WORKING_DAYS": 3,
    "BARO_FLAG_EXTENSIONS": 2,
    "BARO_FLAG_RATE_WINDOW_DAYS": 365,
    "BARO_FLAG_RATE_MIN_TASKS": 5,
    "BARO_FLAG_RATE_MIN_SIBLINGS": 3,
    "BARO_FLAG_RATE_MIN_EXTENDED": 2,
    "BARO_FLAG_RATE_FACTOR": 2.0,
    "BARO_FLAG_RETURNS": 2,
    "BARO_FLAG_MAX_CONSULTED": 4,
    "BARO_FLAG_STALLED_PERCENT_OF_TIME": 50,
    "BARO_URGINGS_BEFORE_LEADERSHIP": 3,
}


def _int(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def _float(name: str) -> float:
    return float(getattr(settings, name, DEFAULTS[name]))


# --------------------------------------------------------------------------------------------
# SQL pieces shared by the scans. Table and column names come from the models' metadata and
# every value is a parameter, except the task statuses written into the partial indexes'
# predicates (constants of TaskStatus); the f-strings below only assemble constants.

T_TASK = Task._meta.db_table
T_DISPUTE = Dispute._meta.db_table
T_EXTENSION = Extension._meta.db_table
T_INPUT = InputRequest._meta.db_table
T_GUIDANCE = GuidanceRequest._meta.db_table
T_URGING = Urging._meta.db_table
T_FLAG = Flag._meta.db_table
T_EVENT = LedgerEvent._meta.db_table

OBJ_TASK = "work.task"
OBJ_DISPUTE = "work.dispute"
OBJ_EXTENSION = "work.extension"
OBJ_INPUT = "work.input_request"
OBJ_GUIDANCE = "work.guidance_request"
OBJ_LETTER = "oversight.letter"

CLOSED = (TaskStatus.COMPLETED.value, TaskStatus.CANCELLED.value)
# The statuses in which the lead itself holds the task (baro.work.rules.not_updated).
WORKING = (TaskStatus.ASSIGNED.value, TaskStatus.IN_PROGRESS.value)
# The WHERE clauses of the partial indexes of migration 0002, repeated with constants: SQLite
# uses a partial index only for a query that contains the same terms (not parameters).
WAITING_SQL = f"t.\"status\" = '{TaskStatus.ASSIGNED.value}'"
AT_ZERO_SQL = (
    f't."percent" = 0 AND t."status" IN '
    f"('{TaskStatus.ASSIGNED.value}', '{TaskStatus.IN_PROGRESS.value}')"
)
OPEN = tuple(sorted(str(s) for s in rules.OPEN_STATUSES))


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _id_text(expression: str) -> str:
    """An integer column as text, for building a dedupe key inside the query."""
    return f"CAST({expression} AS TEXT)"


def _date_text(expression: str) -> str:
    """A date column as YYYY-MM-DD text, as Python's isoformat() writes it in the key. SQLite
    stores dates as that text already. PostgreSQL's own text form follows DateStyle, so the
    format is spelt out; to_char casts the date to a timestamp in the session's zone and
    formats it in that same zone, so the day never shifts."""
    if connection.vendor == "postgresql":
        return f"to_char({expression}, 'YYYY-MM-DD')"
    return expression


def _key(*parts: str) -> str:
    """SQL concatenating a dedupe key from quoted literals and column expressions."""
    return " || ".join(parts)


def _no_flag(key_sql: str) -> str:
    """The anti-join on the flag's unique key: subjects flagged before are never candidates."""
    return f'NOT EXISTS (SELECT 1 FROM "{T_FLAG}" f WHERE f."dedupe_key" = {key_sql})'  # noqa: S608


def _date_param(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _midnight_param(value: dt.date) -> Any:
    """The first instant of `value` in Baro's time zone, as the database compares datetimes."""
    moment = dt.datetime.combine(value, dt.time.min, tzinfo=timezone.get_current_timezone())
    return connection.ops.adapt_datetimefield_value(moment)


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The scan's rows sorted by their first column (the subject's id), so flags are raised in
    a stable order. Sorted here rather than by ORDER BY: ordering by id makes SQLite read
    work_task in rowid order, a full scan, instead of the status and deadline indexes."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return sorted(cursor.fetchall())


def _chunks(values: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _batched(found: list[Any], handle: Callable[[list[Any]], int]) -> int:
    """Raise the flags of a scan's rows 500 at a time: the first pass over a large backlog
    stays within the databases' limits on query parameters (the `__in` lookups that load the
    rows' tasks, events and people) and within memory."""
    return sum(handle(list(batch)) for batch in _chunks(found))


# --------------------------------------------------------------------------------------------
# loading what the flags name, in bulk


@dataclass(frozen=True)
class _Event:
    pk: int
    action: str
    object_id: str
    body: str


def _events(object_type: str, object_ids: Iterable[int], actions: Iterable[str]) -> list[_Event]:
    """The ledger events of `actions` on these objects, oldest first (one query per 500)."""
    ids = sorted({str(pk) for pk in object_ids})
    wanted = list(actions)
    found: list[_Event] = []
    for chunk in _chunks(ids):
        found += [
            _Event(*row)
            for row in LedgerEvent.objects.filter(
                object_type=object_type, object_id__in=chunk, action__in=wanted
            )
            .order_by("seq")
            .values_list("pk", "action", "object_id", "body")
        ]
    found.sort(key=lambda e: e.pk)
    return found


def _by_object(events: Iterable[_Event]) -> dict[str, list[_Event]]:
    grouped: dict[str, list[_Event]] = defaultdict(list)
    for event in events:
        grouped[event.object_id].append(event)
    return grouped


def _payload(event: _Event) -> dict[str, Any]:
    return json.loads(event.body).get("payload", {})


def _tasks(ids: Iterable[int]) -> dict[int, Task]:
    wanted = sorted(set(ids))
    tasks: dict[int, Task] = {}
    for chunk in _chunks(wanted):
        tasks.update(Task.objects.in_bulk(list(chunk)))
    return tasks


def _units(ids: Iterable[int]) -> dict[int, Unit]:
    wanted = sorted(set(ids))
    units: dict[int, Unit] = {}
    for chunk in _chunks(wanted):
        units.update(Unit.objects.in_bulk(list(chunk)))
    return units


@dataclass
class _People:
    """Units, their heads and persons the flags of one detector name, loaded once."""

    day: dt.date
    units: dict[int, Unit]
    heads: dict[int, Person]
    persons: dict[int, Person]

    @classmethod
    def load(
        cls, day: dt.date, unit_ids: Iterable[int], person_ids: Iterable[int | None] = ()
    ) -> _People:
        units = _units(unit_ids)
        return cls(
            day=day,
            units=units,
            heads=heads_of(units.keys(), day),
            persons=persons_by_id(pk for pk in person_ids if pk is not None),
        )

    def head(self, unit_id: int) -> Person | None:
        return self.heads.get(unit_id)

    def person(self, person_id: int | None) -> Person | None:
        return self.persons.get(person_id) if person_id is not None else None

    def officer_or_head(self, task: Task) -> Person | None:
        return self.person(task.officer_id) or self.head(task.lead_unit_id)


def _raise(
    *,
    actor: Person,
    kind: str,
    dedupe_key: str,
    unit: Unit,
    person: Person | None,
    task: Task | None,
    summary: str,
    figures: dict[str, Any],
    evidence: Sequence[EvidenceItem],
) -> int:
    """1 when the flag was raised now, 0 when another worker raised it first."""
    try:
        flag = flag_raise(
            actor=actor,
            kind=kind,
            dedupe_key=dedupe_key,
            unit=unit,
            person=person,
            task=task,
            summary=summary,
            figures=figures,
            evidence=evidence,
        )
    except IntegrityError:
        # Two workers on PostgreSQL: both saw no flag, the other one inserted it first and
        # the unique dedupe_key refused ours (flag_raise rolled its transaction back).
        logger.info("flag %s raised by another worker meanwhile", dedupe_key)
        return 0
    return 0 if flag is None else 1


def _title(task: Task) -> str:
    return f"“{task.title}”"


def _ensure_evidence(items: list[EvidenceItem], task: Task, note: str) -> list[EvidenceItem]:
    """The task itself when no event was found (e.g. rows imported without their events):
    flag_raise refuses a flag without evidence."""
    return items or [EvidenceItem(task_id=task.pk, note=note)]


# --------------------------------------------------------------------------------------------
# 1. bounced between units


def detect_bounced(day: dt.date, *, actor: Person) -> int:
    """Refused at least BARO_FLAG_BOUNCES times, or disputed across more than
    BARO_FLAG_BOUNCE_UNITS distinct units, and not resolved (not completed nor cancelled)."""
    bounces = _int("BARO_FLAG_BOUNCES")
    spread = _int("BARO_FLAG_BOUNCE_UNITS")
    key = _key("'bounced:task:'", _id_text('t."id"'))
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
        f'WHERE t."status" NOT IN ({_marks(CLOSED)}) '
        f'AND (t."bounce_count" >= %s OR u."units" > %s) '
        f"AND {_no_flag(key)}"
    )
    found = _rows(sql, [*CLOSED, bounces, spread])
    if not found:
        return 0
    return _batched(
        found, partial(_raise_bounced, day=day, actor=actor, bounces=bounces, spread=spread)
    )


def _raise_bounced(
    found: list[Any], *, day: dt.date, actor: Person, bounces: int, spread: int
) -> int:
    tasks = _tasks(row[0] for row in found)
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
    people = _People.load(day, unit_ids)
    refused = _by_object(_events(OBJ_TASK, tasks, ["work.task.refused"]))
    decided = _by_object(
        _events(
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
            f"Nhiệm vụ {_title(task)} đã bị từ chối {task.bounce_count} lần, chuyển qua "
            f"{distinct} đơn vị ({names}) mà chưa được giải quyết; lần từ chối gần nhất của "
            f"{unit.name} ngày {format_date(timezone.localtime(last.opened_at).date())}."
        )
        raised += _raise(
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
            evidence=_ensure_evidence(evidence, task, "Nhiệm vụ bị từ chối"),
        )
    return raised


# --------------------------------------------------------------------------------------------
# 2. not accepted in time


def acceptance_cutoff(day: dt.date, working_days: int) -> dt.date:
    """The latest start day from which more than `working_days` working days have passed by
    `day`: a task waiting since that day or earlier is late. Working days are counted after
    the start day (Bộ luật Dân sự 2015, Điều 147), as baro.workdays.calendar does."""
    start = day - dt.timedelta(days=1)
    # A bounded walk back: the longest run of days off (Tết) is about ten days.
    while working_days_between(start, day) <= working_days:
        start -= dt.timedelta(days=1)
    return start


def detect_not_accepted(day: dt.date, *, actor: Person) -> int:
    """Still waiting for acceptance more than BARO_FLAG_ACCEPT_WORKING_DAYS working days after
    the task reached its current lead (the assignment, or the dispute decision naming it)."""
    limit = _int("BARO_FLAG_ACCEPT_WORKING_DAYS")
    cutoff = acceptance_cutoff(day, limit)
    key = _key("'not_accepted:task:'", _id_text('t."id"'), "':unit:'", _id_text('t."lead_unit_id"'))
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE {WAITING_SQL} AND t."assigned_on" <= %s '  # oversight_task_waiting_idx
        # A dispute decided after the cut-off gave the task to its lead too recently.
        f'AND NOT EXISTS (SELECT 1 FROM "{T_DISPUTE}" d WHERE d."task_id" = t."id" '
        f'AND d."decided_at" >= %s) '
        f"AND {_no_flag(key)}"
    )
    params = [_date_param(cutoff), _midnight_param(cutoff + dt.timedelta(days=1))]
    found = [row[0] for row in _rows(sql, params)]
    if not found:
        return 0
    return _batched(found, partial(_raise_not_accepted, day=day, actor=actor, limit=limit))


def _raise_not_accepted(found: list[Any], *, day: dt.date, actor: Person, limit: int) -> int:
    tasks = _tasks(found)
    last_decision: dict[int, Dispute] = {}
    for dispute in Dispute.objects.filter(task_id__in=found, decided_at__isnull=False).order_by(
        "decided_at", "pk"
    ):
        last_decision[dispute.task_id] = dispute
    people = _People.load(day, (t.lead_unit_id for t in tasks.values()))
    assigned = _by_object(_events(OBJ_TASK, found, ["work.task.assigned"]))
    decided = _by_object(
        _events(OBJ_DISPUTE, [d.pk for d in last_decision.values()], ["work.dispute.decided"])
    )
    raised = 0
    for task_id in found:
        task = tasks[task_id]
        unit = people.units[task.lead_unit_id]
        since = task.assigned_on
        evidence = [
            EvidenceItem(task_id=task.pk, event_id=e.pk, note="Giao nhiệm vụ")
            for e in assigned.get(str(task.pk), [])
        ]
        decision = last_decision.get(task.pk)
        if decision is not None and decision.decided_at is not None:
            since = max(since, timezone.localtime(decision.decided_at).date())
            evidence += [
                EvidenceItem(
                    task_id=task.pk, event_id=e.pk, note=f"Quyết định giao {unit.name} chủ trì"
                )
                for e in decided.get(str(decision.pk), [])
            ]
        waited = working_days_between(since, day)
        summary = (
            f"{unit.name} chưa tiếp nhận nhiệm vụ {_title(task)} sau {waited} ngày làm việc "
            f"(nhận từ ngày {format_date(since)}; thời hạn tiếp nhận {limit} ngày làm việc)."
        )
        raised += _raise(
            actor=actor,
            kind=FlagKind.NOT_ACCEPTED,
            dedupe_key=f"not_accepted:task:{task.pk}:unit:{unit.pk}",
            unit=unit,
            person=people.head(unit.pk),
            task=task,
            summary=summary,
            figures={
                "since": since.isoformat(),
                "days": waited,  # working days
                "threshold": limit,
            },
            evidence=_ensure_evidence(evidence, task, "Nhiệm vụ chờ tiếp nhận"),
        )
    return raised


# --------------------------------------------------------------------------------------------
# 3. extensions: repeated on one task, and a unit's unusual rate


def detect_repeated_extensions(day: dt.date, *, actor: Person) -> int:
    """extension_count ≥ BARO_FLAG_EXTENSIONS on a task that was not cancelled."""
    threshold = _int("BARO_FLAG_EXTENSIONS")
    key = _key("'repeated_extensions:task:'", _id_text('t."id"'))
    # Driven from the approved extensions (only tasks extended at least once can match).
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE t."id" IN (SELECT e."task_id" FROM "{T_EXTENSION}" e WHERE e."status" = %s) '
        f'AND t."extension_count" >= %s AND t."status" <> %s '
        f"AND {_no_flag(key)}"
    )
    found = [
        row[0]
        for row in _rows(
            sql, [ExtensionStatus.APPROVED.value, threshold, TaskStatus.CANCELLED.value]
        )
    ]
    if not found:
        return 0
    return _batched(
        found, partial(_raise_repeated_extensions, day=day, actor=actor, threshold=threshold)
    )


def _raise_repeated_extensions(
    found: list[Any], *, day: dt.date, actor: Person, threshold: int
) -> int:
    tasks = _tasks(found)
    extensions: dict[int, list[Extension]] = defaultdict(list)
    for extension in Extension.objects.filter(
        task_id__in=found, status=ExtensionStatus.APPROVED
    ).order_by("decided_at", "pk"):
        extensions[extension.task_id].append(extension)
    events = _by_object(
        _events(
            OBJ_EXTENSION,
            [e.pk for rows in extensions.values() for e in rows],
            ["work.extension.requested", "work.extension.approved"],
        )
    )
    people = _People.load(day, (t.lead_unit_id for t in tasks.values()))
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
            f"Nhiệm vụ {_title(task)} do {unit.name} chủ trì đã được gia hạn "
            f"{task.extension_count} lần: hạn ban đầu {format_date(first)}, hạn hiện nay "
            f"{format_date(task.deadline)}."
        )
        raised += _raise(
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
            evidence=_ensure_evidence(evidence, task, "Nhiệm vụ được gia hạn nhiều lần"),
        )
    return raised


def _quarter(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def detect_extension_rate(day: dt.date, *, actor: Person) -> int:
    """A unit's share of extended tasks far above its sibling units' median (once a quarter)."""
    window = _int("BARO_FLAG_RATE_WINDOW_DAYS")
    min_tasks = _int("BARO_FLAG_RATE_MIN_TASKS")
    min_siblings = _int("BARO_FLAG_RATE_MIN_SIBLINGS")
    min_extended = _int("BARO_FLAG_RATE_MIN_EXTENDED")
    factor = Fraction(str(_float("BARO_FLAG_RATE_FACTOR")))
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
        _rows(
            extended_sql,
            [ExtensionStatus.APPROVED.value, _date_param(since), TaskStatus.CANCELLED.value],
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
    units = _units(candidates)
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
    for chunk in _chunks(counted):
        # One pass over the lead unit's covering index (work_task_lead_cover_idx).
        total_sql = (
            f'SELECT t."lead_unit_id", COUNT(*) FROM "{T_TASK}" t '  # noqa: S608
            f'WHERE t."lead_unit_id" IN ({_marks(chunk)}) AND t."status" <> %s '
            f'AND t."assigned_on" > %s GROUP BY t."lead_unit_id"'
        )
        totals.update(_rows(total_sql, [*chunk, TaskStatus.CANCELLED.value, _date_param(since)]))
    raised = 0
    people = _People.load(day, candidates)
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
        for event in _events(OBJ_EXTENSION, ext_task, ["work.extension.approved"]):
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
        raised += _raise(
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


# --------------------------------------------------------------------------------------------
# 4. results returned again and again


def detect_repeated_returns(day: dt.date, *, actor: Person) -> int:
    """return_count ≥ BARO_FLAG_RETURNS on a task that was not cancelled."""
    threshold = _int("BARO_FLAG_RETURNS")
    key = _key("'repeated_returns:task:'", _id_text('t."id"'))
    # Driven from the ledger's return events (indexed by action): no table of returns exists,
    # and scanning work_task's return_count would read every task.
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE t."id" IN (SELECT CAST(e."object_id" AS BIGINT) FROM "{T_EVENT}" e '
        f'WHERE e."action" = %s AND e."object_type" = %s) '
        f'AND t."return_count" >= %s AND t."status" <> %s '
        f"AND {_no_flag(key)}"
    )
    params = ["work.task.returned", OBJ_TASK, threshold, TaskStatus.CANCELLED.value]
    found = [row[0] for row in _rows(sql, params)]
    if not found:
        return 0
    return _batched(
        found, partial(_raise_repeated_returns, day=day, actor=actor, threshold=threshold)
    )


def _raise_repeated_returns(
    found: list[Any], *, day: dt.date, actor: Person, threshold: int
) -> int:
    tasks = _tasks(found)
    returned = _by_object(_events(OBJ_TASK, found, ["work.task.returned"]))
    people = _People.load(day, (t.lead_unit_id for t in tasks.values()))
    raised = 0
    for task_id in found:
        task = tasks[task_id]
        unit = people.units[task.lead_unit_id]
        evidence = [
            EvidenceItem(
                task_id=task.pk,
                event_id=e.pk,
                note=f"Trả lại kết quả: {str(_payload(e).get('reason', ''))[:200]}",
            )
            for e in returned.get(str(task.pk), [])
        ]
        summary = (
            f"Kết quả nhiệm vụ {_title(task)} do {unit.name} chủ trì đã bị trả lại "
            f"{task.return_count} lần."
        )
        raised += _raise(
            actor=actor,
            kind=FlagKind.REPEATED_RETURNS,
            dedupe_key=f"repeated_returns:task:{task.pk}",
            unit=unit,
            person=people.head(unit.pk),
            task=task,
            summary=summary,
            figures={"returns": task.return_count, "threshold": threshold},
            evidence=_ensure_evidence(evidence, task, "Kết quả bị trả lại"),
        )
    return raised


# --------------------------------------------------------------------------------------------
# 5. guidance asked on a matter within one's own authority, or asked again


def detect_guidance_within_authority(day: dt.date, *, actor: Person) -> int:
    """A guidance request answered as within the asking unit's authority, or repeating a
    question that was already answered when it was asked again."""
    key = _key("'guidance_within_authority:guidance:'", _id_text('g."id"'))
    sql = (
        f'SELECT g."id" FROM "{T_GUIDANCE}" g '  # noqa: S608
        f'JOIN "{T_TASK}" t ON t."id" = g."task_id" '
        f'LEFT JOIN "{T_GUIDANCE}" o ON o."id" = g."repeat_of_id" '
        f'WHERE (g."within_unit_authority" = %s '
        f'OR (o."answered_at" IS NOT NULL AND o."answered_at" <= g."asked_at")) '
        f'AND t."status" <> %s AND {_no_flag(key)}'
    )
    found = [row[0] for row in _rows(sql, [True, TaskStatus.CANCELLED.value])]
    if not found:
        return 0
    return _batched(found, partial(_raise_guidance_within_authority, day=day, actor=actor))


def _raise_guidance_within_authority(found: list[Any], *, day: dt.date, actor: Person) -> int:
    requests = GuidanceRequest.objects.in_bulk(found)
    originals = GuidanceRequest.objects.in_bulk(
        [g.repeat_of_id for g in requests.values() if g.repeat_of_id is not None]
    )
    tasks = _tasks(g.task_id for g in requests.values())
    people = _People.load(
        day,
        [pk for g in requests.values() for pk in (g.asking_unit_id, g.superior_unit_id)],
        [g.asked_by_id for g in requests.values()],
    )
    events = _by_object(
        _events(
            OBJ_GUIDANCE,
            [*requests, *originals],
            ["work.guidance.requested", "work.guidance.answered"],
        )
    )
    raised = 0
    for guidance_id in found:
        guidance = requests[guidance_id]
        task = tasks[guidance.task_id]
        unit = people.units[guidance.asking_unit_id]
        superior = people.units[guidance.superior_unit_id]
        original = originals.get(guidance.repeat_of_id) if guidance.repeat_of_id else None
        repeated = (
            original is not None
            and original.answered_at is not None
            and original.answered_at <= guidance.asked_at
        )
        evidence: list[EvidenceItem] = []
        if repeated and original is not None:
            evidence += [
                EvidenceItem(
                    task_id=task.pk,
                    event_id=e.pk,
                    note="Lần hỏi trước" if e.action.endswith("requested") else "Đã trả lời",
                )
                for e in events.get(str(original.pk), [])
            ]
        evidence += [
            EvidenceItem(
                task_id=task.pk,
                event_id=e.pk,
                note="Xin ý kiến chỉ đạo"
                if e.action.endswith("requested")
                else (
                    "Trả lời: thuộc thẩm quyền của đơn vị"
                    if guidance.within_unit_authority
                    else "Trả lời"
                ),
            )
            for e in events.get(str(guidance.pk), [])
        ]
        reasons: list[str] = []
        if guidance.within_unit_authority:
            reasons.append(
                f"{superior.name} trả lời rằng nội dung xin ý kiến thuộc thẩm quyền của {unit.name}"
            )
        if repeated and original is not None and original.answered_at is not None:
            reasons.append(
                f"nội dung này đã được trả lời ngày "
                f"{format_date(timezone.localtime(original.answered_at).date())} mà vẫn hỏi lại"
            )
        asked = format_date(timezone.localtime(guidance.asked_at).date())
        summary = (
            f"{unit.name} xin ý kiến chỉ đạo {superior.name} ngày {asked} về nhiệm vụ "
            f"{_title(task)}: " + "; ".join(reasons) + "."
        )
        raised += _raise(
            actor=actor,
            kind=FlagKind.GUIDANCE_WITHIN_AUTHORITY,
            dedupe_key=f"guidance_within_authority:guidance:{guidance.pk}",
            unit=unit,
            person=people.person(guidance.asked_by_id),
            task=task,
            summary=summary,
            figures={
                "guidance_id": guidance.pk,
                "within_unit_authority": guidance.within_unit_authority,
                "repeat_of_id": guidance.repeat_of_id if repeated else None,
                "superior_unit_id": superior.pk,
            },
            evidence=_ensure_evidence(evidence, task, "Xin ý kiến chỉ đạo"),
        )
    return raised


# --------------------------------------------------------------------------------------------
# 6. coordinators: silent past the due date, or vague


def detect_coordinator_silent(day: dt.date, *, actor: Person) -> int:
    """An input request past its due date without an answer, on an open task."""
    key = _key("'coordinator_silent:input:'", _id_text('i."id"'))
    sql = (
        f'SELECT i."id" FROM "{T_INPUT}" i '  # noqa: S608
        f'JOIN "{T_TASK}" t ON t."id" = i."task_id" '
        f'WHERE i."due_on" < %s AND i."answered_at" IS NULL '  # work_input_due_idx
        f'AND t."status" NOT IN ({_marks(CLOSED)}) AND {_no_flag(key)}'
    )
    found = [row[0] for row in _rows(sql, [_date_param(day), *CLOSED])]
    if not found:
        return 0
    return _batched(found, partial(_raise_coordinator_silent, day=day, actor=actor))


def _raise_coordinator_silent(found: list[Any], *, day: dt.date, actor: Person) -> int:
    requests = InputRequest.objects.in_bulk(found)
    tasks = _tasks(r.task_id for r in requests.values())
    people = _People.load(
        day,
        [pk for r in requests.values() for pk in (r.unit_id, tasks[r.task_id].lead_unit_id)],
    )
    events = _by_object(_events(OBJ_INPUT, found, ["work.input.requested"]))
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
            f"{unit.name} không trả lời xin ý kiến của {lead.name} về nhiệm vụ {_title(task)} "
            f"đến hạn {format_date(request.due_on)} (đã quá {late} ngày). Theo Công điện "
            f"280/CĐ-TTg, không trả lời đúng hạn được coi là đồng ý và {unit.name} chịu trách "
            "nhiệm về việc này."
        )
        raised += _raise(
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
            evidence=_ensure_evidence(evidence, task, "Xin ý kiến đơn vị phối hợp"),
        )
    return raised


def detect_coordinator_vague(day: dt.date, *, actor: Person) -> int:
    """An answered input request the lead marked as giving no clear position."""
    key = _key("'coordinator_vague:input:'", _id_text('i."id"'))
    sql = (
        f'SELECT i."id" FROM "{T_INPUT}" i '  # noqa: S608
        f'JOIN "{T_TASK}" t ON t."id" = i."task_id" '
        f'WHERE i."unclear_marked_at" IS NOT NULL AND t."status" <> %s '
        f"AND {_no_flag(key)}"
    )
    found = [row[0] for row in _rows(sql, [TaskStatus.CANCELLED.value])]
    if not found:
        return 0
    return _batched(found, partial(_raise_coordinator_vague, day=day, actor=actor))


def _raise_coordinator_vague(found: list[Any], *, day: dt.date, actor: Person) -> int:
    requests = InputRequest.objects.in_bulk(found)
    tasks = _tasks(r.task_id for r in requests.values())
    people = _People.load(
        day,
        [pk for r in requests.values() for pk in (r.unit_id, tasks[r.task_id].lead_unit_id)],
        [r.answered_by_id for r in requests.values()],
    )
    events = _by_object(
        _events(OBJ_INPUT, found, ["work.input.answered", "work.input.marked_unclear"])
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
            f"Ý kiến của {unit.name} trả lời {lead.name} về nhiệm vụ {_title(task)} không nêu "
            f"rõ quan điểm (đơn vị chủ trì nhận xét: {request.unclear_note})."
        )
        raised += _raise(
            actor=actor,
            kind=FlagKind.COORDINATOR_VAGUE,
            dedupe_key=f"coordinator_vague:input:{request.pk}",
            unit=unit,
            person=people.person(request.answered_by_id) or people.head(unit.pk),
            task=task,
            summary=summary,
            figures={"input_request_id": request.pk, "position": request.position},
            evidence=_ensure_evidence(evidence, task, "Ý kiến không rõ quan điểm"),
        )
    return raised


# --------------------------------------------------------------------------------------------
# 7. needless consultation


def detect_needless_consultation(day: dt.date, *, actor: Person) -> int:
    """The same question asked of a coordinator again, or too many units consulted."""
    raised = _repeated_inputs(day, actor=actor)
    return raised + _too_many_consulted(day, actor=actor)


def _repeated_inputs(day: dt.date, *, actor: Person) -> int:
    key = _key("'needless_consultation:input:'", _id_text('i."repeat_of_id"'))
    sql = (
        f'SELECT i."repeat_of_id", COUNT(*) FROM "{T_INPUT}" i '  # noqa: S608
        f'JOIN "{T_TASK}" t ON t."id" = i."task_id" '
        f'WHERE i."repeat_of_id" IS NOT NULL AND t."status" <> %s AND {_no_flag(key)} '
        f'GROUP BY i."repeat_of_id"'
    )
    found = _rows(sql, [TaskStatus.CANCELLED.value])
    if not found:
        return 0
    return _batched(found, partial(_raise_repeated_inputs, day=day, actor=actor))


def _raise_repeated_inputs(found: list[Any], *, day: dt.date, actor: Person) -> int:
    originals = [row[0] for row in found]
    rows = InputRequest.objects.filter(pk__in=originals) | InputRequest.objects.filter(
        repeat_of_id__in=originals
    )
    asked: dict[int, list[InputRequest]] = defaultdict(list)
    for request in rows.order_by("requested_at", "pk"):
        asked[request.repeat_of_id or request.pk].append(request)
    tasks = _tasks(r.task_id for group in asked.values() for r in group)
    people = _People.load(
        day,
        [pk for group in asked.values() for r in group for pk in (r.unit_id,)]
        + [t.lead_unit_id for t in tasks.values()],
        [r.requested_by_id for group in asked.values() for r in group],
    )
    events = _by_object(
        _events(OBJ_INPUT, [r.pk for g in asked.values() for r in g], ["work.input.requested"])
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
            f"{_title(task)} (lần đầu ngày "
            f"{format_date(timezone.localtime(first.requested_at).date())})."
        )
        raised += _raise(
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
            evidence=_ensure_evidence(evidence, task, "Xin ý kiến trùng lặp"),
        )
    return raised


def _too_many_consulted(day: dt.date, *, actor: Person) -> int:
    limit = _int("BARO_FLAG_MAX_CONSULTED")
    key = _key("'needless_consultation:task:'", _id_text('i."task_id"'))
    sql = (
        f'SELECT i."task_id", COUNT(DISTINCT i."unit_id") FROM "{T_INPUT}" i '  # noqa: S608
        f'JOIN "{T_TASK}" t ON t."id" = i."task_id" '
        f'WHERE t."status" <> %s AND {_no_flag(key)} '
        f'GROUP BY i."task_id" HAVING COUNT(DISTINCT i."unit_id") > %s'
    )
    found = _rows(sql, [TaskStatus.CANCELLED.value, limit])
    if not found:
        return 0
    return _batched(found, partial(_raise_too_many_consulted, day=day, actor=actor, limit=limit))


def _raise_too_many_consulted(found: list[Any], *, day: dt.date, actor: Person, limit: int) -> int:
    task_ids = [row[0] for row in found]
    tasks = _tasks(task_ids)
    asked: dict[int, list[InputRequest]] = defaultdict(list)
    for request in InputRequest.objects.filter(task_id__in=task_ids).order_by("requested_at", "pk"):
        asked[request.task_id].append(request)
    people = _People.load(
        day,
        [r.unit_id for g in asked.values() for r in g] + [t.lead_unit_id for t in tasks.values()],
        [r.requested_by_id for g in asked.values() for r in g],
    )
    events = _by_object(
        _events(OBJ_INPUT, [r.pk for g in asked.values() for r in g], ["work.input.requested"])
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
            f"{lead.name} xin ý kiến {consulted} đơn vị ({names}) về nhiệm vụ {_title(task)}, "
            f"quá mức {limit} đơn vị."
        )
        raised += _raise(
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
            evidence=_ensure_evidence(evidence, task, "Xin ý kiến nhiều đơn vị"),
        )
    return raised


# --------------------------------------------------------------------------------------------
# 8. overdue after more than N urgings


_URGING_STEPS = tuple(sorted(str(s) for s in URGING_STEPS))
_URGING_ACTIONS = (
    *(f"oversight.ladder.{s}" for s in _URGING_STEPS if s != LadderStep.MANUAL),
    "oversight.task.urged",
)


def detect_urged_still_overdue(day: dt.date, *, actor: Person) -> int:
    """An open task past its deadline urged more than BARO_URGINGS_BEFORE_LEADERSHIP times for
    that deadline (Hà Nội, QĐ 847/QĐ-UBND 2023: it goes to the leadership's briefing)."""
    limit = _int("BARO_URGINGS_BEFORE_LEADERSHIP")
    key = _key("'urged_still_overdue:task:'", _id_text('t."id"'), "':'", _date_text('t."deadline"'))
    # Overdue open tasks through work_task_due_idx (status, deadline), each counted through
    # oversight_urging_task_idx (task, deadline).
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE t."status" IN ({_marks(OPEN)}) AND t."deadline" < %s AND {_no_flag(key)} '
        f'AND (SELECT COUNT(*) FROM "{T_URGING}" u WHERE u."task_id" = t."id" '
        f'AND u."deadline" = t."deadline" AND u."step" IN ({_marks(_URGING_STEPS)})) > %s'
    )
    found = _rows(sql, [*OPEN, _date_param(day), *_URGING_STEPS, limit])
    if not found:
        return 0
    return _batched(found, partial(_raise_urged_still_overdue, day=day, actor=actor, limit=limit))


def _raise_urged_still_overdue(found: list[Any], *, day: dt.date, actor: Person, limit: int) -> int:
    task_ids = [row[0] for row in found]
    tasks = _tasks(task_ids)
    urgings: dict[int, list[Urging]] = defaultdict(list)
    for urging in Urging.objects.filter(task_id__in=task_ids, step__in=_URGING_STEPS).order_by(
        "created_at", "pk"
    ):
        if urging.deadline == tasks[urging.task_id].deadline:
            urgings[urging.task_id].append(urging)
    # The urgings' events: ladder steps and urgings by hand name their urging in the payload;
    # an urging letter's event is the letter's own.
    by_urging: dict[int, int] = {}
    for event in _events(OBJ_TASK, task_ids, _URGING_ACTIONS):
        urging_id = _payload(event).get("urging_id")
        if isinstance(urging_id, int):
            by_urging[urging_id] = event.pk
    letters = {u.letter_id for rows in urgings.values() for u in rows if u.letter_id}
    by_letter = {
        int(e.object_id): e.pk for e in _events(OBJ_LETTER, letters, ["oversight.letter.issued"])
    }
    people = _People.load(day, (t.lead_unit_id for t in tasks.values()))
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
            f"Nhiệm vụ {_title(task)} do {unit.name} chủ trì quá hạn từ "
            f"{format_date(task.deadline)} và đã bị đôn đốc {count} lần mà vẫn chưa hoàn thành. "
            f"Theo Quyết định 847/QĐ-UBND (2023) của Hà Nội, nhiệm vụ quá hạn sau hơn {limit} "
            "lần đôn đốc được báo cáo lãnh đạo tại buổi giao ban gần nhất."
        )
        raised += _raise(
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
            evidence=_ensure_evidence(evidence, task, "Nhiệm vụ quá hạn"),
        )
    return raised


# --------------------------------------------------------------------------------------------
# 9. overdue and not updated


def detect_overdue_not_updated(day: dt.date, *, actor: Person) -> int:
    """Past its deadline and not updated, as baro.work.rules.not_updated defines it."""
    days = rules.not_updated_days()
    # rules.not_updated: (day - last).days > days, last = the local date of the last report
    # or the assignment date; i.e. last < day - days.
    quiet_since = day - dt.timedelta(days=days)
    key = _key("'overdue_not_updated:task:'", _id_text('t."id"'), "':'", _date_text('t."deadline"'))
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f'WHERE t."status" IN ({_marks(WORKING)}) AND t."deadline" < %s '  # work_task_due_idx
        f'AND ((t."last_progress_at" IS NOT NULL AND t."last_progress_at" < %s) '
        f'OR (t."last_progress_at" IS NULL AND t."assigned_on" < %s)) '
        f"AND {_no_flag(key)}"
    )
    params = [
        *WORKING,
        _date_param(day),
        _midnight_param(quiet_since),
        _date_param(quiet_since),
    ]
    found = [row[0] for row in _rows(sql, params)]
    if not found:
        return 0
    return _batched(found, partial(_raise_overdue_not_updated, day=day, actor=actor, days=days))


def _raise_overdue_not_updated(found: list[Any], *, day: dt.date, actor: Person, days: int) -> int:
    tasks = _tasks(found)
    events = _by_object(
        _events(OBJ_TASK, found, ["work.task.assigned", "work.task.progress_reported"])
    )
    people = _People.load(
        day, (t.lead_unit_id for t in tasks.values()), (t.officer_id for t in tasks.values())
    )
    raised = 0
    for task_id in found:
        task = tasks[task_id]
        if not rules.not_updated(task, day, days):  # the rule's own definition, to be sure
            continue
        unit = people.units[task.lead_unit_id]
        own = events.get(str(task.pk), [])
        assigned = [e for e in own if e.action == "work.task.assigned"]
        reports = [e for e in own if e.action == "work.task.progress_reported"]
        evidence = [
            EvidenceItem(task_id=task.pk, event_id=e.pk, note="Giao nhiệm vụ") for e in assigned
        ]
        if task.last_progress_at is not None:
            last = timezone.localtime(task.last_progress_at).date()
            told = f"lần cập nhật cuối ngày {format_date(last)}"
            evidence += [
                EvidenceItem(task_id=task.pk, event_id=e.pk, note="Báo cáo tiến độ lần cuối")
                for e in reports[-1:]
            ]
        else:
            last = task.assigned_on
            told = f"chưa báo cáo tiến độ lần nào từ ngày giao {format_date(last)}"
        silent = (day - last).days
        summary = (
            f"Nhiệm vụ {_title(task)} do {unit.name} chủ trì quá hạn từ "
            f"{format_date(task.deadline)} ({(day - task.deadline).days} ngày) và không cập "
            f"nhật tiến độ {silent} ngày ({told}; tiến độ {task.percent}%)."
        )
        raised += _raise(
            actor=actor,
            kind=FlagKind.OVERDUE_NOT_UPDATED,
            dedupe_key=f"overdue_not_updated:task:{task.pk}:{task.deadline.isoformat()}",
            unit=unit,
            person=people.officer_or_head(task),
            task=task,
            summary=summary,
            figures={
                "deadline": task.deadline.isoformat(),
                "days_overdue": (day - task.deadline).days,
                "last_update": last.isoformat(),
                "days": silent,  # without an update
                "threshold": days,
                "percent": task.percent,
            },
            evidence=_ensure_evidence(evidence, task, "Nhiệm vụ quá hạn, không cập nhật"),
        )
    return raised


# --------------------------------------------------------------------------------------------
# 10. still at zero past half of the time


def _days(later: str, earlier: str) -> str:
    """later − earlier in days, for two date expressions."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def detect_stalled_at_zero(day: dt.date, *, actor: Person) -> int:
    """An assigned or in-progress task at 0% once more than
    BARO_FLAG_STALLED_PERCENT_OF_TIME percent of assigned_on → deadline has passed."""
    share = _int("BARO_FLAG_STALLED_PERCENT_OF_TIME")
    key = _key("'stalled_at_zero:task:'", _id_text('t."id"'), "':'", _date_text('t."deadline"'))
    day_sql = "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"
    elapsed = _days(day_sql, 't."assigned_on"')
    total = _days('t."deadline"', 't."assigned_on"')
    # 100 × elapsed > share × total, in whole calendar days: exact, no rounding.
    sql = (
        f'SELECT t."id" FROM "{T_TASK}" t '  # noqa: S608
        f"WHERE {AT_ZERO_SQL} "  # oversight_task_zero_idx
        f"AND 100 * {elapsed} > %s * {total} "
        f"AND {_no_flag(key)}"
    )
    params = [_date_param(day), share]
    found = [row[0] for row in _rows(sql, params)]
    if not found:
        return 0
    return _batched(found, partial(_raise_stalled_at_zero, day=day, actor=actor, share=share))


def _raise_stalled_at_zero(found: list[Any], *, day: dt.date, actor: Person, share: int) -> int:
    tasks = _tasks(found)
    events = _by_object(
        _events(OBJ_TASK, found, ["work.task.assigned", "work.task.progress_reported"])
    )
    people = _People.load(
        day, (t.lead_unit_id for t in tasks.values()), (t.officer_id for t in tasks.values())
    )
    raised = 0
    for task_id in found:
        task = tasks[task_id]
        unit = people.units[task.lead_unit_id]
        total = (task.deadline - task.assigned_on).days
        elapsed = (day - task.assigned_on).days
        evidence = [
            EvidenceItem(
                task_id=task.pk,
                event_id=e.pk,
                note="Giao nhiệm vụ" if e.action == "work.task.assigned" else "Báo cáo tiến độ 0%",
            )
            for e in events.get(str(task.pk), [])
        ]
        used = f"{elapsed}/{total} ngày" if total else f"{elapsed} ngày, hạn ngay ngày giao"
        summary = (
            f"Nhiệm vụ {_title(task)} do {unit.name} chủ trì vẫn ở tiến độ 0% khi đã qua "
            f"{used} thời hạn (giao ngày {format_date(task.assigned_on)}, hạn "
            f"{format_date(task.deadline)})."
        )
        raised += _raise(
            actor=actor,
            kind=FlagKind.STALLED_AT_ZERO,
            dedupe_key=f"stalled_at_zero:task:{task.pk}:{task.deadline.isoformat()}",
            unit=unit,
            person=people.officer_or_head(task),
            task=task,
            summary=summary,
            figures={
                "assigned_on": task.assigned_on.isoformat(),
                "deadline": task.deadline.isoformat(),
                "days_elapsed": elapsed,
                "days_total": total,
                "threshold": share,  # percent of the time
            },
            evidence=_ensure_evidence(evidence, task, "Nhiệm vụ tiến độ 0%"),
        )
    return raised


# --------------------------------------------------------------------------------------------
# the pass


@dataclass(frozen=True)
class Detector:
    name: str
    run: Callable[..., int]
    kinds: tuple[str, ...]
    description: str


DETECTORS: tuple[Detector, ...] = (
    Detector(
        "bounced",
        detect_bounced,
        (FlagKind.BOUNCED,),
        "Nhiệm vụ bị từ chối, đùn đẩy qua lại giữa các đơn vị mà chưa được giải quyết",
    ),
    Detector(
        "not_accepted",
        detect_not_accepted,
        (FlagKind.NOT_ACCEPTED,),
        "Nhiệm vụ chờ tiếp nhận quá số ngày làm việc cho phép",
    ),
    Detector(
        "repeated_extensions",
        detect_repeated_extensions,
        (FlagKind.REPEATED_EXTENSIONS,),
        "Nhiệm vụ được gia hạn nhiều lần",
    ),
    Detector(
        "extension_rate",
        detect_extension_rate,
        (FlagKind.EXTENSION_RATE,),
        "Đơn vị có tỷ lệ nhiệm vụ phải gia hạn cao bất thường so với các đơn vị cùng cấp",
    ),
    Detector(
        "repeated_returns",
        detect_repeated_returns,
        (FlagKind.REPEATED_RETURNS,),
        "Kết quả nhiệm vụ bị trả lại nhiều lần",
    ),
    Detector(
        "guidance_within_authority",
        detect_guidance_within_authority,
        (FlagKind.GUIDANCE_WITHIN_AUTHORITY,),
        "Xin ý kiến cấp trên về việc thuộc thẩm quyền của mình, hoặc hỏi lại việc đã được trả lời",
    ),
    Detector(
        "coordinator_silent",
        detect_coordinator_silent,
        (FlagKind.COORDINATOR_SILENT,),
        "Đơn vị phối hợp không trả lời xin ý kiến đúng hạn (im lặng được coi là đồng ý)",
    ),
    Detector(
        "coordinator_vague",
        detect_coordinator_vague,
        (FlagKind.COORDINATOR_VAGUE,),
        "Đơn vị phối hợp trả lời không rõ quan điểm",
    ),
    Detector(
        "needless_consultation",
        detect_needless_consultation,
        (FlagKind.NEEDLESS_CONSULTATION,),
        "Xin ý kiến trùng lặp một nội dung, hoặc xin ý kiến quá nhiều đơn vị",
    ),
    Detector(
        "urged_still_overdue",
        detect_urged_still_overdue,
        (FlagKind.URGED_STILL_OVERDUE,),
        "Nhiệm vụ vẫn quá hạn sau hơn 3 lần đôn đốc (báo cáo lãnh đạo tại giao ban)",
    ),
    Detector(
        "overdue_not_updated",
        detect_overdue_not_updated,
        (FlagKind.OVERDUE_NOT_UPDATED,),
        "Nhiệm vụ quá hạn và không cập nhật tiến độ",
    ),
    Detector(
        "stalled_at_zero",
        detect_stalled_at_zero,
        (FlagKind.STALLED_AT_ZERO,),
        "Nhiệm vụ vẫn ở tiến độ 0% khi đã quá nửa thời hạn",
    ),
)


def run_detectors(day: dt.date, *, actor: Person, raise_errors: bool = False) -> int:
    """Run every detector for `day`; the number of flags raised now.

    A detector that fails is logged and the others still run (one broken rule must not stop
    the rest of the worker's pass); `raise_errors` re-raises the first failure after all ran,
    for tests and `--once` diagnostics.
    """
    raised = 0
    failure: Exception | None = None
    for detector in DETECTORS:
        try:
            raised += detector.run(day, actor=actor)
        except Exception as exc:  # logged, the pass goes on
            logger.exception("detector %s failed", detector.name)
            failure = failure or exc
    if failure is not None and raise_errors:
        raise failure
    return raised
