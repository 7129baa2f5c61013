"""The database itself refuses rows that break the rules, whatever code writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from baro.testing.work import WorkWorld, assign
from baro.work.models import (
    DeadlineRule,
    Directive,
    DirectiveKind,
    Extension,
    Task,
    TaskStatus,
)


def _directive(ww: WorkWorld, number: str, signed_on: dt.date) -> Directive:
    return Directive.objects.create(
        number_symbol=number,
        kind=DirectiveKind.DIRECTIVE,
        issuing_unit=ww.root,
        signed_on=signed_on,
        title="Tăng cường kỷ luật",
        registered_by=ww.city_head,
    )


def _task(ww: WorkWorld, **fields: object) -> Task:
    values: dict[str, object] = {
        "title": "Việc",
        "assigner": ww.city_head,
        "assigning_unit": ww.root,
        "lead_unit": ww.dept_a,
        "deadline": dt.date(2026, 6, 30),
        "deadline_rule": DeadlineRule.DATE,
        "assigned_on": dt.date(2026, 6, 1),
    }
    values.update(fields)
    return Task(**values)


def _rejected(row: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()  # type: ignore[attr-defined]


def test_directive_number_is_unique_per_unit_and_year(ww: WorkWorld) -> None:
    _directive(ww, "24-CT/TU", dt.date(2023, 8, 7))
    _directive(ww, "24-CT/TU", dt.date(2024, 1, 5))  # numbering restarts each year
    with pytest.raises(IntegrityError), transaction.atomic():
        _directive(ww, "24-CT/TU", dt.date(2023, 12, 31))


def test_task_without_lead_is_impossible(ww: WorkWorld) -> None:
    _rejected(_task(ww, lead_unit=None))


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "lost"},
        {"status": TaskStatus.COMPLETED},  # completed without a date
        {"status": TaskStatus.IN_PROGRESS, "completed_on": dt.date(2026, 6, 2)},
        {"deadline": dt.date(2026, 5, 31)},  # before assignment
        {"percent": 101},
        {"deadline_rule": "whenever"},
    ],
)
def test_task_constraints(ww: WorkWorld, fields: dict[str, object]) -> None:
    _rejected(_task(ww, **fields))


def test_a_valid_task_row_is_accepted(ww: WorkWorld) -> None:
    _task(ww, status=TaskStatus.COMPLETED, completed_on=dt.date(2026, 6, 2)).save()


def test_extension_must_move_the_deadline_later(ww: WorkWorld) -> None:
    task = assign(ww)
    _rejected(
        Extension(
            task=task,
            requested_by=ww.w.head,
            reason="x",
            old_deadline=task.deadline,
            new_deadline=task.deadline,
        )
    )


def test_one_pending_extension_per_task(ww: WorkWorld) -> None:
    task = assign(ww)
    later = task.deadline + dt.timedelta(days=5)
    Extension.objects.create(
        task=task,
        requested_by=ww.w.head,
        reason="x",
        old_deadline=task.deadline,
        new_deadline=later,
    )
    _rejected(
        Extension(
            task=task,
            requested_by=ww.w.head,
            reason="y",
            old_deadline=task.deadline,
            new_deadline=later,
        )
    )


def test_the_database_refuses_a_status_change_the_workflow_does_not_allow(ww: WorkWorld) -> None:
    task = assign(ww)
    for forbidden in (TaskStatus.COMPLETED, TaskStatus.SUBMITTED):  # skipping the workflow
        with pytest.raises(IntegrityError), transaction.atomic():
            Task.objects.filter(pk=task.pk).update(status=forbidden, completed_on=task.deadline)
    # An allowed move and staying put pass (the services' own commands go through here).
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS)
    Task.objects.filter(pk=task.pk).update(title="Việc, đổi tên", status=TaskStatus.IN_PROGRESS)
    task.refresh_from_db()
    assert (task.status, task.title) == (TaskStatus.IN_PROGRESS, "Việc, đổi tên")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.DISPUTED)  # refuse after accept


def test_the_trigger_knows_exactly_the_moves_of_the_transitions_map() -> None:
    from importlib import import_module

    from baro.work.rules import TRANSITIONS

    guard = import_module("baro.work.migrations.0004_task_transition_guard")
    moves = {(old, new) for old, commands in TRANSITIONS.items() for new in commands.values()} - {
        (status, status) for status in TRANSITIONS
    }
    assert set(guard.ALLOWED_MOVES) == {(str(old), str(new)) for old, new in moves}


def test_an_extension_is_never_decided_by_who_asked_for_it(ww: WorkWorld) -> None:
    task = assign(ww)
    _rejected(
        Extension(
            task=task,
            requested_by=ww.w.head,
            reason="x",
            old_deadline=task.deadline,
            new_deadline=task.deadline + dt.timedelta(days=5),
            status="approved",
            decided_by=ww.w.head,
            decided_at=dt.datetime(2026, 6, 2, 9, tzinfo=dt.UTC),
        )
    )
