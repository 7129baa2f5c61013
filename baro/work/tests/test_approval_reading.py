"""What the assigner reads before deciding on a result: the note typed at "Trình kết quả" and
the task's files (on the task page and on the approval and return pages), and which
coordinating units gave no input (a warning, with why: never asked, silent past the due date,
not yet answered).

Personas: `world`'s head of Sở A (the lead) and its officer in Phòng A1; added here, with a
login, the head of Hà Nội (assigns, approves) and the head of Sở B (a coordinator).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from baro.core.timeutil import today
from baro.org.models import Person, Role, Unit, UnitKind
from baro.org.services import person_create, unit_create
from baro.testing.org import World
from baro.work import services
from baro.work.models import DeadlineRule, Task
from baro.work.queries.detail import coordinators_without_input, latest_submission

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NOTE = "Báo cáo rà soát 126 xã, phường đã hoàn thành; kèm phụ lục số liệu."


@dataclass
class Cast:
    w: World
    boss: Person
    head_b: Person
    dept_c: Unit


@pytest.fixture
def cast(world: World, settings: Any, tmp_path: Any) -> Cast:
    settings.DATA_DIR = tmp_path

    def person(unit: Unit, name: str, code: str) -> Person:
        return person_create(
            actor=world.admin,
            unit=unit,
            full_name=name,
            code=code,
            role=Role.HEAD,
            username=code.lower(),
            password="mat-khau-thu-nghiem-2026",
        )

    return Cast(
        world,
        boss=person(world.root, "Chủ Tịch Thành Phố", "CT-HN"),
        head_b=person(world.dept_b, "Giám Đốc Sở B", "GD-SOB"),
        dept_c=unit_create(
            actor=world.admin, code="SO-C", name="Sở C", kind=UnitKind.DEPARTMENT, parent=world.root
        ),
    )


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert person.user is not None
    client.force_login(person.user)
    return client


def page(person: Person, name: str, task: Task) -> str:
    response = client_for(person).get(reverse(f"work:{name}", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


def consulted_task(cast: Cast) -> Task:
    """In progress, with three coordinators: Sở B answered, Phòng A1 was asked and stays
    silent (due in two days), Sở C was never asked."""
    w = cast.w
    task = services.task_assign(
        actor=cast.boss,
        title="Rà soát thủ tục hành chính",
        lead_unit=w.dept_a,
        assigning_unit=w.root,
        deadline_rule=DeadlineRule.CALENDAR_DAYS,
        deadline_days=30,
        officer=w.officer,
        coordinators=[(w.dept_b, "Số liệu", None), (w.div_a1, "", None), (cast.dept_c, "", None)],
    )
    task = services.task_accept(actor=w.head, task=task)
    asked_b = services.input_request(
        actor=w.head, task=task, unit=w.dept_b, question="Cho ý kiến về số liệu"
    )
    services.input_answer(
        actor=cast.head_b, input_request=asked_b, position="agree", answer="Thống nhất"
    )
    services.input_request(
        actor=w.head,
        task=task,
        unit=w.div_a1,
        question="Cho ý kiến về quy trình",
        due_on=today() + dt.timedelta(days=2),
    )
    return task


def test_the_note_and_files_submitted_are_read_where_the_result_is_approved(cast: Cast) -> None:
    w = cast.w
    task = consulted_task(cast)
    assert latest_submission(task) is None
    services.attachment_add(actor=w.officer, task=task, name="Phụ lục số liệu.pdf", content=PDF)
    response = client_for(w.officer).post(
        reverse("work:task_submit", args=[task.pk]), {"note": NOTE}
    )
    assert response.status_code == 302
    submission = latest_submission(task)
    assert submission is not None
    assert (submission.note, submission.by) == (NOTE, w.officer.full_name)
    assert [f.original_name for f in submission.files] == ["Phụ lục số liệu.pdf"]
    for html in (
        page(cast.boss, "task_approve", task),
        page(cast.boss, "task_return", task),
        page(cast.boss, "task_detail", task),
        page(w.head, "task_detail", task),
    ):
        assert 'id="submission-note">' + NOTE in html
        assert "Phụ lục số liệu.pdf" in html
        assert w.officer.full_name in html


def test_the_approver_is_warned_of_the_coordinators_that_gave_no_input(
    cast: Cast, time_machine: Any
) -> None:
    w = cast.w
    task = services.task_submit(actor=w.officer, task=consulted_task(cast), note="Xong")
    silent = coordinators_without_input(task, today())
    assert [(c.unit, c.asked, c.silent) for c in silent] == [
        (w.div_a1, True, False),
        (cast.dept_c, False, False),
    ]
    html = page(cast.boss, "task_approve", task)
    warning = html[html.index('id="coordinator-warning"') :]
    warning = warning[: warning.index("</div>")]
    assert "Đơn vị phối hợp chưa cho ý kiến" in warning
    assert "Phòng A1" in warning and "chưa trả lời, hạn trả lời" in warning
    assert "Sở C" in warning and "đơn vị chủ trì chưa xin ý kiến" in warning
    assert "Sở B" not in warning  # it answered
    assert 'id="coordinator-warning"' in page(cast.boss, "task_detail", task)
    # Past the due date the silence counts as agreement, and the page says so.
    time_machine.move_to(dt.datetime.combine(today() + dt.timedelta(days=3), dt.time(9)))
    html = page(cast.boss, "task_approve", task)
    assert "im lặng quá hạn được coi là đồng ý" in html


def test_no_warning_when_every_coordinator_answered(cast: Cast) -> None:
    w = cast.w
    task = services.task_assign(
        actor=cast.boss,
        title="Lập kế hoạch",
        lead_unit=w.dept_a,
        assigning_unit=w.root,
        deadline_rule=DeadlineRule.CALENDAR_DAYS,
        deadline_days=30,
        coordinators=[(w.dept_b, "", None)],
    )
    task = services.task_accept(actor=w.head, task=task)
    asked = services.input_request(actor=w.head, task=task, unit=w.dept_b, question="Ý kiến?")
    services.input_answer(actor=cast.head_b, input_request=asked, position="agree")
    task = services.task_submit(actor=w.head, task=task)
    assert coordinators_without_input(task, today()) == []
    html = page(cast.boss, "task_approve", task)
    assert 'id="coordinator-warning"' not in html
    assert "Không có ghi chú." in html and "Không có tệp đính kèm." in html
