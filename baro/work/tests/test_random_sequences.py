"""Random commands by random actors on a fresh task: the invariants hold after every step.

After each step: the task still has its lead; its status is one the transitions map can reach;
the ledger grew by exactly one event if the command succeeded and by none if it was refused
(and a refused command changed no task row); a task is disputed exactly when it has one open
dispute; completed exactly when it has a completion date; the counters only grow.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from baro.core.errors import DomainError
from baro.ledger.models import LedgerEvent
from baro.testing.work import WorkWorld, assign
from baro.work import rules, services
from baro.work.models import Dispute, DisputeStatus, Extension, Task, TaskStatus

ACTORS = [
    "city_head",
    "city_deputy",
    "secretary",
    "head_b",
    "chief",
    "w.head",
    "w.officer",
    "w.deputy",
    "w.outsider",
    "w.admin",
]
UNITS = ["dept_a", "dept_b", "div_a1", "root", "w.other_root"]
COMMANDS = [
    "accept",
    "refuse",
    "decide",
    "report",
    "submit",
    "approve",
    "return",
    "ask_extension",
    "decide_extension",
    "cancel",
]

step = st.fixed_dictionaries(
    {
        # Forward moves weighted up so that sequences reach approval before a cancel ends them.
        "command": st.sampled_from(COMMANDS + ["accept", "submit", "approve"] * 2 + ["decide"]),
        # "proper" (the person whose job the command is) three times in four, else anyone:
        # uniform actors would almost never get a task past acceptance.
        "actor": st.sampled_from(["proper"] * (3 * len(ACTORS)) + ACTORS),
        "unit": st.sampled_from(UNITS),
        "text": st.sampled_from(["", "Lý do cụ thể", "Theo chức năng", "Đã rà soát"]),
        "percent": st.integers(min_value=-5, max_value=105),
        "days": st.integers(min_value=-2, max_value=20),
        "flag": st.booleans(),
    }
)


def _get(ww: WorkWorld, name: str) -> Any:
    obj: Any = ww
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


LEAD_SIDE = {"accept", "refuse", "report", "submit", "ask_extension"}


def _head_of(ww: WorkWorld, unit_id: int) -> Any:
    heads = {
        ww.root.pk: ww.city_head,
        ww.dept_a.pk: ww.w.head,
        ww.div_a1.pk: ww.w.head,  # Sở A's head holds the powers over Phòng A1 (no head there)
        ww.dept_b.pk: ww.head_b,
    }
    return heads[unit_id]


def _actor(ww: WorkWorld, task: Task, s: dict[str, Any]) -> Any:
    if s["actor"] != "proper":
        return _get(ww, s["actor"])
    task.refresh_from_db()
    if s["command"] in LEAD_SIDE:
        return _head_of(ww, task.lead_unit_id)
    if s["command"] == "decide":
        dispute = Dispute.objects.filter(task=task).order_by("-pk").first()
        if dispute is not None and dispute.decider_unit_id == ww.root.pk and s["flag"]:
            return ww.chief  # the head's delegate
        return _head_of(ww, dispute.decider_unit_id) if dispute else ww.city_head
    return ww.city_head


def _run(ww: WorkWorld, task: Task, s: dict[str, Any]) -> None:
    actor = _actor(ww, task, s)
    unit = _get(ww, s["unit"])
    text = s["text"]
    command = s["command"]
    if command == "accept":
        services.task_accept(actor=actor, task=task)
    elif command == "refuse":
        services.task_refuse(actor=actor, task=task, reason=text, proposed_unit=unit)
    elif command == "decide":
        dispute = Dispute.objects.filter(task=task).order_by("-pk").first()
        if dispute is None:
            raise DomainError("test.skip", "no dispute yet")
        services.dispute_decide(actor=actor, dispute=dispute, unit=unit, reason=text)
    elif command == "report":
        services.task_report_progress(actor=actor, task=task, percent=s["percent"], text=text)
    elif command == "submit":
        services.task_submit(actor=actor, task=task)
    elif command == "approve":
        grade = "good" if s["flag"] else "bogus"
        services.task_approve(
            actor=actor, task=task, quality_grade=grade, effectiveness_grade="high"
        )
    elif command == "return":
        services.task_return(actor=actor, task=task, reason=text)
    elif command == "ask_extension":
        task.refresh_from_db()
        services.extension_request(
            actor=actor,
            task=task,
            new_deadline=task.deadline + dt.timedelta(days=s["days"]),
            reason=text,
        )
    elif command == "decide_extension":
        extension = Extension.objects.filter(task=task).order_by("-pk").first()
        if extension is None:
            raise DomainError("test.skip", "no extension yet")
        services.extension_decide(actor=actor, extension=extension, approve=s["flag"], note=text)
    elif command == "cancel":
        services.task_cancel(actor=actor, task=task, reason=text)


def _row(task: Task) -> dict[str, Any]:
    return Task.objects.filter(pk=task.pk).values().get()


def _check_invariants(task: Task, previous: dict[str, Any]) -> dict[str, Any]:
    row = _row(task)
    assert row["lead_unit_id"] is not None
    assert row["status"] in rules.REACHABLE_STATUSES
    open_disputes = Dispute.objects.filter(task_id=task.pk, status=DisputeStatus.OPEN).count()
    assert open_disputes == (1 if row["status"] == TaskStatus.DISPUTED else 0)
    assert (row["status"] == TaskStatus.COMPLETED) == (row["completed_on"] is not None)
    for counter in ("bounce_count", "return_count", "extension_count"):
        assert row[counter] >= previous[counter]
    assert row["deadline"] >= previous["deadline"]
    if previous["status"] in rules.TERMINAL_STATUSES:
        assert row == previous  # nothing moves a finished task
    return row


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=6, max_size=25))
def test_random_command_sequences_keep_the_invariants(
    ww: WorkWorld, steps: list[dict[str, Any]]
) -> None:
    # Each example works on a task of its own; the personas are shared (built once per test).
    task = assign(ww, coordinators=[(ww.div_a1, "Phối hợp", None)])
    row = _row(task)
    visited = {row["status"]}
    for s in steps:
        events_before = LedgerEvent.objects.count()
        try:
            _run(ww, task, s)
        except DomainError:
            assert LedgerEvent.objects.count() == events_before, s
            assert _row(task) == row, s
        else:
            assert LedgerEvent.objects.count() == events_before + 1, s
        row = _check_invariants(task, row)
        visited.add(row["status"])
    for status in sorted(visited):  # --hypothesis-show-statistics: how often each state is seen
        event(f"visited {status}")
