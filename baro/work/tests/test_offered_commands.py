"""What the task page offers is what the command accepts: both ask baro.work.permissions (can,
require_lead_command, bound_refusal), so a button is shown exactly when its command would go
through. Checked case by case for the two the review found (a refusal after a binding dispute
decision, an officer's extension before the unit accepted), then for every persona, state and
command at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from baro.core.errors import AuthorityError, DomainError
from baro.org.models import Person
from baro.testing.work import WorkWorld, assign, refused
from baro.work import permissions, services
from baro.work.models import Task
from baro.work.permissions import C
from baro.work.queries.detail import open_dispute, pending_extension

pytestmark = pytest.mark.django_db


def page_of(person: Person, task: Task) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert person.user is not None
    client.force_login(person.user)
    response = client.get(reverse("work:task_detail", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


def link(name: str, task: Task) -> str:
    return f'href="{reverse(f"work:{name}", args=[task.pk])}"'


def decided(ww: WorkWorld, unit: Any) -> Task:
    """Sở A refuses a fresh task naming Sở B; the city's head gives it to `unit`."""
    task = services.task_refuse(
        actor=ww.w.head, task=assign(ww), reason="Thuộc Sở B", proposed_unit=ww.dept_b
    )
    dispute = open_dispute(task)
    assert dispute is not None
    services.dispute_decide(actor=ww.city_head, dispute=dispute, unit=unit, reason="Quyết định")
    task.refresh_from_db()
    return task


def test_the_unit_a_binding_decision_named_is_offered_accept_but_not_refuse(
    ww: WorkWorld,
) -> None:
    task = decided(ww, ww.dept_a)  # the decision keeps Sở A: it binds Sở A
    page = page_of(ww.w.head, task)
    assert link("task_accept", task) in page
    assert link("task_refuse", task) not in page
    assert not permissions.can(ww.w.head, task, C.REFUSE, permissions.state_of(task))
    assert "refuse" not in permissions.my_commands(ww.w.head, task)  # the API's my_commands
    # The refusal page sends back to the task with the reason; the command refuses.
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert ww.w.head.user is not None
    client.force_login(ww.w.head.user)
    response = client.get(reverse("work:task_refuse", args=[task.pk]))
    assert response.status_code == 302
    assert "không được từ chối lại" in client.get(response["Location"]).content.decode()
    refused(
        "work.dispute_final",
        lambda: services.task_refuse(
            actor=ww.w.head, task=task, reason="Vẫn không phải", proposed_unit=ww.dept_b
        ),
    )
    services.task_accept(actor=ww.w.head, task=task)


def test_a_lead_no_decision_named_may_still_refuse(ww: WorkWorld) -> None:
    task = assign(ww)
    assert link("task_refuse", task) in page_of(ww.w.head, task)


def test_the_officer_is_offered_no_extension_before_the_unit_accepts(ww: WorkWorld) -> None:
    task = assign(ww, officer=ww.w.officer)
    new_deadline = task.deadline + dt.timedelta(days=5)
    assert link("extension_request", task) not in page_of(ww.w.officer, task)
    refused(
        "auth.denied",
        lambda: services.extension_request(
            actor=ww.w.officer, task=task, new_deadline=new_deadline, reason="Chờ số liệu"
        ),
        error=AuthorityError,
    )
    # The unit itself may ask before accepting (the map allows it there).
    assert link("extension_request", task) in page_of(ww.w.head, task)
    task = services.task_accept(actor=ww.w.head, task=task)
    assert link("extension_request", task) in page_of(ww.w.officer, task)
    services.extension_request(
        actor=ww.w.officer, task=task, new_deadline=new_deadline, reason="Chờ số liệu"
    )


def test_the_officers_standing_is_judged_on_the_current_row_not_a_stale_copy(
    ww: WorkWorld,
) -> None:
    stale = assign(ww, officer=ww.w.officer)  # read while it waited for acceptance
    services.task_accept(actor=ww.w.head, task=Task.objects.get(pk=stale.pk))
    services.task_report_progress(actor=ww.w.officer, task=stale, percent=10, text="Bắt đầu")
    services.extension_request(
        actor=ww.w.officer,
        task=stale,
        new_deadline=stale.deadline + dt.timedelta(days=5),
        reason="Chờ số liệu",
    )


# --------------------------------------------------------------------------------------------
# every persona, state and command: offered exactly when the command goes through


def _other_unit(ww: WorkWorld, task: Task) -> Any:
    return ww.dept_b if task.lead_unit_id == ww.dept_a.pk else ww.dept_a


def _present(row: Any) -> Any:
    """The extension or dispute a command decides; with none there is no command to give."""
    if row is None:
        raise DomainError("test.nothing_to_decide", "Không có gì để quyết định.")
    return row


RUN: dict[str, Callable[[WorkWorld, Person, Task], object]] = {
    C.ACCEPT: lambda ww, p, t: services.task_accept(actor=p, task=t),
    C.REFUSE: lambda ww, p, t: services.task_refuse(
        actor=p, task=t, reason="Không thuộc chức năng", proposed_unit=_other_unit(ww, t)
    ),
    C.REPORT_PROGRESS: lambda ww, p, t: services.task_report_progress(
        actor=p, task=t, percent=40, text="Đang tổng hợp"
    ),
    C.SUBMIT: lambda ww, p, t: services.task_submit(actor=p, task=t, note="Xong"),
    C.APPROVE: lambda ww, p, t: services.task_approve(
        actor=p, task=t, quality_grade="good", effectiveness_grade="high"
    ),
    C.RETURN: lambda ww, p, t: services.task_return(actor=p, task=t, reason="Thiếu phụ lục"),
    C.REQUEST_EXTENSION: lambda ww, p, t: services.extension_request(
        actor=p, task=t, new_deadline=t.deadline + dt.timedelta(days=9), reason="Chờ số liệu"
    ),
    C.DECIDE_EXTENSION: lambda ww, p, t: services.extension_decide(
        actor=p, extension=_present(pending_extension(t)), approve=True, note="Đồng ý"
    ),
    C.CANCEL: lambda ww, p, t: services.task_cancel(actor=p, task=t, reason="Không còn cần"),
    C.DECIDE_DISPUTE: lambda ww, p, t: services.dispute_decide(
        actor=p, dispute=_present(open_dispute(t)), unit=ww.dept_b, reason="Đúng chức năng"
    ),
}


def _assigned(ww: WorkWorld) -> Task:
    return assign(ww, officer=ww.w.officer)


def _in_progress(ww: WorkWorld) -> Task:
    return services.task_accept(actor=ww.w.head, task=_assigned(ww))


def _extension_asked(ww: WorkWorld) -> Task:
    task = _in_progress(ww)
    services.extension_request(
        actor=ww.w.head, task=task, new_deadline=task.deadline + dt.timedelta(days=3), reason="x"
    )
    return task


def _submitted(ww: WorkWorld) -> Task:
    return services.task_submit(actor=ww.w.officer, task=_in_progress(ww))


def _disputed(ww: WorkWorld) -> Task:
    return services.task_refuse(
        actor=ww.w.head, task=_assigned(ww), reason="Thuộc Sở B", proposed_unit=ww.dept_b
    )


STATES: dict[str, Callable[[WorkWorld], Task]] = {
    "assigned": _assigned,
    "in_progress": _in_progress,
    "extension_asked": _extension_asked,
    "submitted": _submitted,
    "disputed": _disputed,
    "decided_to_b": lambda ww: decided(ww, ww.dept_b),
    "decided_kept_a": lambda ww: decided(ww, ww.dept_a),
}

PERSONAS = ("city_head", "city_deputy", "secretary", "head_b", "chief")
WORLD_PERSONAS = ("head", "officer", "admin", "deputy", "outsider")


class _Undo(Exception):
    """Raised to roll back a command that went through."""


def _goes_through(run: Callable[[], object]) -> bool:
    try:
        with transaction.atomic():
            run()
            raise _Undo
    except _Undo:
        return True
    except DomainError:
        return False


@pytest.mark.parametrize("state", list(STATES))
def test_every_command_is_offered_exactly_when_it_goes_through(ww: WorkWorld, state: str) -> None:
    task = STATES[state](ww)
    people = [getattr(ww, n) for n in PERSONAS] + [getattr(ww.w, n) for n in WORLD_PERSONAS]
    mismatches = []
    for person in people:
        offered = set(permissions.my_commands(person, task))
        for command, run in RUN.items():
            fresh = Task.objects.select_related("lead_unit", "assigning_unit").get(pk=task.pk)
            went = _goes_through(partial(run, ww, person, fresh))
            if went != (command in offered):
                mismatches.append((person.full_name, command, "offered" if not went else "hidden"))
    assert mismatches == []
