"""What every rule of the avoidance detectors uses: their thresholds read from settings, the
SQL pieces of their scans, loading the tasks, events, units and heads their flags name in bulk,
raising one flag, and `Detector`, a rule's entry in the runner's list (baro.oversight.detectors).

The names here are the package's own: the rule modules import them, nothing outside it should.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection
from django.utils import timezone

from baro.core.run import run_command
from baro.ledger.models import LedgerEvent
from baro.org.models import Person, Unit
from baro.oversight.models import Flag, Urging
from baro.oversight.people import heads_of, persons_by_id
from baro.oversight.services import EvidenceItem, flag_raise
from baro.work import rules
from baro.work.models import Dispute, Extension, GuidanceRequest, InputRequest, Task, TaskStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Detector:
    """One rule as the runner sees it: `run(day, actor=...)` raises its new flags and returns
    how many; `kinds` are the FlagKinds it raises, `description` says what it looks for."""

    name: str
    run: Callable[..., int]
    kinds: tuple[str, ...]
    description: str


# --------------------------------------------------------------------------------------------
# settings: Baro's defaults where settings has none. Read at each pass with getattr, so a test
# or an administrator changes them without a code change; each rule's module docstring says
# what its figures mean.

DEFAULTS: dict[str, int | float] = {
    "BARO_FLAG_BOUNCES": 2,
    "BARO_FLAG_BOUNCE_UNITS": 2,
    "BARO_FLAG_BOUNCE_WINDOW_DAYS": 365,
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


def setting_int(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def setting_float(name: str) -> float:
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


def marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def id_text(expression: str) -> str:
    """An integer column as text, for building a dedupe key inside the query."""
    return f"CAST({expression} AS TEXT)"


def date_text(expression: str) -> str:
    """A date column as YYYY-MM-DD text, as Python's isoformat() writes it in the key. SQLite
    stores dates as that text already. PostgreSQL's own text form follows DateStyle, so the
    format is spelt out; to_char casts the date to a timestamp in the session's zone and
    formats it in that same zone, so the day never shifts."""
    if connection.vendor == "postgresql":
        return f"to_char({expression}, 'YYYY-MM-DD')"
    return expression


def concat(*parts: str) -> str:
    """SQL concatenating a dedupe key from quoted literals and column expressions."""
    return " || ".join(parts)


def no_flag(key_sql: str) -> str:
    """The anti-join on the flag's unique key: subjects flagged before are never candidates."""
    return f'NOT EXISTS (SELECT 1 FROM "{T_FLAG}" f WHERE f."dedupe_key" = {key_sql})'  # noqa: S608


def date_param(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def midnight_param(value: dt.date) -> Any:
    """The first instant of `value` in Baro's time zone, as the database compares datetimes."""
    moment = dt.datetime.combine(value, dt.time.min, tzinfo=timezone.get_current_timezone())
    return connection.ops.adapt_datetimefield_value(moment)


def scan_rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The scan's rows sorted by their first column (the subject's id), so flags are raised in
    a stable order. Sorted here rather than by ORDER BY: ordering by id makes SQLite read
    work_task in rowid order, a full scan, instead of the status and deadline indexes."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return sorted(cursor.fetchall())


def chunks(values: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def batched(found: list[Any], handle: Callable[[list[Any]], int]) -> int:
    """Raise the flags of a scan's rows 500 at a time: the first pass over a large backlog
    stays within the databases' limits on query parameters (the `__in` lookups that load the
    rows' tasks, events and people) and within memory."""
    return sum(handle(list(batch)) for batch in chunks(found))


# --------------------------------------------------------------------------------------------
# loading what the flags name, in bulk


@dataclass(frozen=True)
class Event:
    pk: int
    action: str
    object_id: str
    body: str


def load_events(object_type: str, object_ids: Iterable[int], actions: Iterable[str]) -> list[Event]:
    """The ledger events of `actions` on these objects, oldest first (one query per 500)."""
    ids = sorted({str(pk) for pk in object_ids})
    wanted = list(actions)
    found: list[Event] = []
    for chunk in chunks(ids):
        found += [
            Event(*row)
            for row in LedgerEvent.objects.filter(
                object_type=object_type, object_id__in=chunk, action__in=wanted
            )
            .order_by("seq")
            .values_list("pk", "action", "object_id", "body")
        ]
    found.sort(key=lambda e: e.pk)
    return found


def by_object(events: Iterable[Event]) -> dict[str, list[Event]]:
    grouped: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        grouped[event.object_id].append(event)
    return grouped


def payload(event: Event) -> dict[str, Any]:
    return json.loads(event.body).get("payload", {})


def load_tasks(ids: Iterable[int]) -> dict[int, Task]:
    wanted = sorted(set(ids))
    tasks: dict[int, Task] = {}
    for chunk in chunks(wanted):
        tasks.update(Task.objects.in_bulk(list(chunk)))
    return tasks


def load_units(ids: Iterable[int]) -> dict[int, Unit]:
    wanted = sorted(set(ids))
    units: dict[int, Unit] = {}
    for chunk in chunks(wanted):
        units.update(Unit.objects.in_bulk(list(chunk)))
    return units


@dataclass
class People:
    """Units, their heads and persons the flags of one detector name, loaded once."""

    day: dt.date
    units: dict[int, Unit]
    heads: dict[int, Person]
    persons: dict[int, Person]

    @classmethod
    def load(
        cls, day: dt.date, unit_ids: Iterable[int], person_ids: Iterable[int | None] = ()
    ) -> People:
        units = load_units(unit_ids)
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


def raise_flag(
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
        flag = run_command(
            flag_raise,
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


def title_of(task: Task) -> str:
    return f"“{task.title}”"


def ensure_evidence(items: list[EvidenceItem], task: Task, note: str) -> list[EvidenceItem]:
    """The task itself when no event was found (e.g. rows imported without their events):
    flag_raise refuses a flag without evidence."""
    return items or [EvidenceItem(task_id=task.pk, note=note)]
