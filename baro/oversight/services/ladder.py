"""The urging ladder: its configuration (for the installation, or for one directive), and the
steps the worker records (ladder_step_record, run by baro.oversight.ladder_pass): a reminder
before the deadline, urging on it, escalation to the lead unit's head and then to the
assigning unit's head, and a flag for inspection at the end; and, on an ownership dispute
left undecided past its deadline, the decider urged, then the head above the decider told
(dispute_ladder_step_record).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from baro.core import sql
from baro.core.errors import DomainError
from baro.core.run import command
from baro.core.sql import insert_row, loaded, statements
from baro.core.timeutil import format_date, now
from baro.ledger.services import record_action
from baro.notify.services import notify
from baro.org.models import Person
from baro.oversight.ladder import LADDER_STATUSES, ladder_of, validated_ladder
from baro.oversight.models import FlagKind, LadderConfig, LadderStep, Urging
from baro.oversight.permissions import require_ladder_configurer, require_system
from baro.oversight.services.common import OBJ_DISPUTE, OBJ_LADDER, OBJ_TASK, task_url
from baro.oversight.services.flags import EvidenceItem, insert_flag
from baro.work.models import Directive, Dispute, DisputeStatus, Task

# --------------------------------------------------------------------------------------------
# the ladder's configuration


@command
def ladder_configure(
    *, actor: Person, directive: Directive | None = None, values: dict[str, Any]
) -> LadderConfig:
    """Set the ladder for the installation (directive None) or for one directive."""
    decision = require_ladder_configurer(actor, directive)
    scope = "installation" if directive is None else f"directive:{directive.pk}"
    ladder = validated_ladder(values)
    config = LadderConfig.objects.select_for_update().filter(scope=scope).first()
    before = ladder_of(config).as_dict() if config else None
    if config is None:
        config = LadderConfig(scope=scope, directive=directive, updated_by=actor)
    for field, value in ladder.as_dict().items():
        setattr(config, field, value)
    config.updated_by = actor
    config.save()
    record_action(
        actor=actor,
        decision=decision,
        action="oversight.ladder.configured",
        object_type=OBJ_LADDER,
        object_id=scope,
        payload={"before": before, "after": ladder.as_dict()},
    )
    return config


# --------------------------------------------------------------------------------------------
# ladder steps (the worker)


@dataclass(frozen=True)
class LadderCandidate:
    """What the worker's scan read about a task whose step is due (one query for all)."""

    task_id: int
    deadline: dt.date
    title: str
    lead_unit_id: int
    assigning_unit_id: int
    officer_id: int | None
    lead_head_id: int | None
    assigning_head_id: int | None


_STEP_WORDS: dict[str, str] = {
    LadderStep.REMIND: "Nhắc: sắp đến hạn",
    LadderStep.URGE: "Đôn đốc: đã đến hạn",
    LadderStep.ESCALATE_HEAD: "Báo người đứng đầu: nhiệm vụ quá hạn",
    LadderStep.ESCALATE_ASSIGNER_HEAD: "Báo người đứng đầu đơn vị giao việc: nhiệm vụ quá hạn",
    LadderStep.INSPECTION_FLAG: "Đưa vào diện kiểm tra: nhiệm vụ quá hạn kéo dài",
}


def _step_target(candidate: LadderCandidate, step: str) -> tuple[int, int | None]:
    """(unit, person) a step is addressed to."""
    if step == LadderStep.REMIND:
        return candidate.lead_unit_id, candidate.officer_id or candidate.lead_head_id
    if step == LadderStep.URGE:
        return candidate.lead_unit_id, candidate.officer_id or candidate.lead_head_id
    if step == LadderStep.ESCALATE_ASSIGNER_HEAD:
        return candidate.assigning_unit_id, candidate.assigning_head_id
    return candidate.lead_unit_id, candidate.lead_head_id


# The step's urging row, written only while the task is still open at that deadline and the
# step not yet recorded for it: one statement, where a read, a check and an insert were three.
# The unique (task, deadline, step) index decides between two workers (DO NOTHING: the later
# one finds no row returned). On PostgreSQL the task row is locked first, so that a task being
# finished or extended meanwhile is seen as it is after that command; SQLite's IMMEDIATE
# transaction already excludes every other writer.
_STEP_COLUMNS = (
    "task",
    "deadline",
    "step",
    "target_unit",
    "target_person",
    "urged_by",
    "note",
    "letter",
    "created_at",
)


@functools.cache
def step_statements(alias: str) -> tuple[str, str]:
    """(lock the task, insert the step) of ladder_step_record on database `alias`, written once
    from the models' metadata: the task's table and columns are work's, named through its
    model, never by a literal. A test checks the columns against the Urging model."""
    table = sql.table(Task, alias)

    def of_task(name: str) -> str:
        return f"t.{sql.column(Task, name, alias)}"

    def of_urging(name: str) -> str:
        return sql.column(Urging, name, alias)

    key, deadline, status = sql.column(Task, "id", alias), of_task("deadline"), of_task("status")
    lock = f"SELECT 1 FROM {table} WHERE {key} = %s FOR UPDATE"  # noqa: S608 (model identifiers)
    columns = ", ".join(of_urging(name) for name in _STEP_COLUMNS)
    statuses = ", ".join(["%s"] * len(LADDER_STATUSES))
    # The predicate of the model's partial unique constraint (urgings by hand repeat).
    unique = ", ".join(of_urging(name) for name in ("task", "deadline", "step"))
    predicate = f"NOT ({of_urging('step')} = '{LadderStep.MANUAL.value}')"
    insert = (
        f"INSERT INTO {sql.table(Urging, alias)} ({columns}) "  # noqa: S608 (model identifiers)
        f"SELECT t.{key}, {deadline}, %s, %s, %s, %s, %s, NULL, %s FROM {table} t "
        f"WHERE t.{key} = %s AND {deadline} = %s AND {status} IN ({statuses}) "
        f"ON CONFLICT ({unique}) WHERE {predicate} DO NOTHING "
        f"RETURNING {sql.column(Urging, 'id', alias)}"
    )
    return lock, insert


@command
def ladder_step_record(
    *,
    actor: Person,
    candidate: LadderCandidate,
    step: str,
    people: dict[int, Person],
    inspectors: Sequence[Person] = (),
) -> Urging | None:
    """Record one due ladder step of one task, once: None (and no event) when the task moved
    on meanwhile (finished, extended, submitted) or another worker already recorded it.

    `people` holds the Person rows of the candidate's officer and heads (the worker loads them
    in bulk); `inspectors` are told of an inspection flag.
    """
    require_system(actor, _("ghi các bước đôn đốc"))
    if step not in _STEP_WORDS:
        raise DomainError(
            "oversight.invalid_step",
            _("Bước “%(step)s” không có trong thang đôn đốc.") % {"step": step},
        )
    unit_id, person_id = _step_target(candidate, step)
    at = now()
    connection = transaction.get_connection()  # the wrapper itself, not the per-use proxy
    ops = connection.ops
    deadline = ops.adapt_datefield_value(candidate.deadline)
    lock, insert = step_statements(connection.alias)
    with statements(connection) as run:
        if connection.features.has_select_for_update:
            run.execute(lock, [candidate.task_id])
        row = run.execute(
            insert,
            [
                step,
                unit_id,
                person_id,
                actor.pk,
                _STEP_WORDS[step],
                ops.adapt_datetimefield_value(at),
                candidate.task_id,
                deadline,
                *LADDER_STATUSES,
            ],
        ).fetchone()
    if row is None:  # finished, extended or submitted meanwhile, or recorded by another worker
        return None
    urging = loaded(
        Urging,
        connection.alias,
        id=row[0],
        task_id=candidate.task_id,
        deadline=candidate.deadline,
        step=step,
        target_unit_id=unit_id,
        target_person_id=person_id,
        urged_by=actor,
        note=_STEP_WORDS[step],
        letter_id=None,
        created_at=at,
    )
    payload: dict[str, Any] = {
        "step": step,
        "deadline": candidate.deadline,
        "target_unit_id": unit_id,
        "target_person_id": person_id,
        "urging_id": urging.pk,
    }
    recipients = [people[person_id]] if person_id in people else []
    if step == LadderStep.INSPECTION_FLAG:
        flag = insert_flag(
            actor=actor,
            kind=FlagKind.LADDER_INSPECTION,
            dedupe_key=f"ladder:{candidate.task_id}:{candidate.deadline.isoformat()}",
            unit_id=candidate.lead_unit_id,
            person_id=candidate.lead_head_id,
            task_id=candidate.task_id,
            summary=(
                f"Nhiệm vụ “{candidate.title}” quá hạn từ {format_date(candidate.deadline)} "
                "đã qua các bước đôn đốc mà chưa hoàn thành."
            ),
            figures={"deadline": candidate.deadline.isoformat()},
            evidence=[EvidenceItem(task_id=candidate.task_id, note="Nhiệm vụ quá hạn")],
        )
        if flag is not None:
            payload["flag_id"] = flag.pk
        recipients += list(inspectors)
    notify(
        recipients=recipients,
        kind=f"oversight.{step}",
        title=f"{_STEP_WORDS[step]} — {candidate.title[:150]}",
        body=(
            f"Nhiệm vụ “{candidate.title}”, hạn {format_date(candidate.deadline)}. "
            f"{LadderStep(step).label}."
        ),
        url=task_url(candidate.task_id),
        object_type=OBJ_TASK,
        object_id=candidate.task_id,
    )
    record_action(
        actor=actor,
        decision=None,
        action=f"oversight.ladder.{step}",
        object_type=OBJ_TASK,
        object_id=candidate.task_id,
        payload=payload,
    )
    return urging


# --------------------------------------------------------------------------------------------
# a dispute left undecided (the worker)


@dataclass(frozen=True)
class DisputeCandidate:
    """What the worker's scan read about an open dispute past its decision deadline."""

    dispute_id: int
    task_id: int
    deadline: dt.date
    title: str
    decider_unit_id: int
    decider_head_id: int | None
    above_unit_id: int | None
    above_head_id: int | None


_DISPUTE_WORDS: dict[str, str] = {
    LadderStep.DISPUTE_URGE: "Đôn đốc: tranh chấp thẩm quyền quá hạn quyết định",
    LadderStep.DISPUTE_ESCALATE: "Báo cấp trên: tranh chấp thẩm quyền quá hạn chưa quyết định",
}


@command
def dispute_ladder_step_record(
    *, actor: Person, candidate: DisputeCandidate, step: str, people: dict[int, Person]
) -> Urging | None:
    """Record one due step on an undecided dispute, once: the decider's unit and head urged
    (dispute_urge), then the unit above it and its head told (dispute_escalate). None (and no
    event) when the dispute was decided meanwhile or the step is already recorded.

    The urging row belongs to the disputed task, at the dispute's deadline, so the decider's
    responsibility record counts it as an urging received; the ledger event is the dispute's.
    """
    require_system(actor, "ghi các bước đôn đốc")
    if step not in _DISPUTE_WORDS:
        raise DomainError(
            "oversight.invalid_step",
            _("Bước “%(step)s” không có trong thang đôn đốc.") % {"step": step},
        )
    if step == LadderStep.DISPUTE_URGE:
        unit_id, person_id = candidate.decider_unit_id, candidate.decider_head_id
    else:
        if candidate.above_unit_id is None:
            raise DomainError(
                "oversight.no_unit_above", _("Đơn vị quyết định tranh chấp không có cấp trên.")
            )
        unit_id, person_id = candidate.above_unit_id, candidate.above_head_id
    # The dispute's row is the lock two workers meet on; decided meanwhile: nothing to chase.
    dispute = (
        Dispute.objects.select_for_update()
        .filter(
            pk=candidate.dispute_id,
            status=DisputeStatus.OPEN,
            deadline=candidate.deadline,
        )
        .first()
    )
    if dispute is None:
        return None
    recorded = Urging.objects.filter(
        task_id=candidate.task_id, deadline=candidate.deadline, step=step
    )
    if recorded.exists():
        return None
    urging = insert_row(
        Urging(
            task_id=candidate.task_id,
            deadline=candidate.deadline,
            step=step,
            target_unit_id=unit_id,
            target_person_id=person_id,
            urged_by=actor,
            note=_DISPUTE_WORDS[step],
            created_at=now(),
        ),
        related=("urged_by",),
    )
    notify(
        recipients=[people[person_id]] if person_id in people else [],
        kind=f"oversight.{step}",
        title=f"{_DISPUTE_WORDS[step]} — {candidate.title[:150]}",
        body=(
            f"Tranh chấp thẩm quyền về nhiệm vụ “{candidate.title}” phải được quyết định "
            f"trước ngày {format_date(candidate.deadline)} mà chưa có quyết định. "
            f"{LadderStep(step).label}."
        ),
        url=task_url(candidate.task_id),
        object_type=OBJ_DISPUTE,
        object_id=candidate.dispute_id,
    )
    record_action(
        actor=actor,
        decision=None,
        action=f"oversight.ladder.{step}",
        object_type=OBJ_DISPUTE,
        object_id=candidate.dispute_id,
        payload={
            "step": step,
            "task_id": candidate.task_id,
            "deadline": candidate.deadline,
            "target_unit_id": unit_id,
            "target_person_id": person_id,
            "urging_id": urging.pk,
        },
    )
    return urging
