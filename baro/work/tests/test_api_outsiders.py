"""Who may not see a task gets 404 `not_found` from every operation of the work API on it, write
or read, whatever the command and whatever the task's state, and no command runs at all: the
endpoints fetch the task (dispute, extension, request, file) through its `*_get_for_actor`
before anything else. Neither a 403 (which would tell them the task exists) nor a state
refusal (409, which would tell them where it stands)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baro.core.timeutil import today
from baro.testing.collab import snapshot
from baro.testing.work import API, WorkWorld, assign, bearer
from baro.work import services
from baro.work.models import Attachment, DeadlineRule, Dispute, Extension, Task

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _everything(ww: WorkWorld, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """Tasks of Hà Nội in the states the commands need, with a dispute, an extension request,
    an input request, a guidance request and a file: all hidden from Hải Phòng's admin."""
    settings.DATA_DIR = tmp_path
    head = ww.w.head
    assigned = assign(ww)
    disputed = services.task_refuse(
        actor=head, task=assign(ww), reason="Không thuộc Sở A", proposed_unit=ww.dept_b
    )
    consulted = services.task_accept(
        actor=head, task=assign(ww, coordinators=[(ww.dept_b, "Góp ý", None)])
    )
    extension = services.extension_request(
        actor=head,
        task=consulted,
        new_deadline=consulted.deadline + dt.timedelta(days=5),
        reason="Chờ số liệu",
    )
    inputs = services.input_request(actor=head, task=consulted, unit=ww.dept_b, question="Ý kiến?")
    guidance = services.guidance_request(actor=head, task=consulted, question="Xin chỉ đạo?")
    attachment = services.attachment_add(actor=head, task=consulted, name="a.pdf", content=PDF)
    submitted = services.task_submit(
        actor=head, task=services.task_accept(actor=head, task=assign(ww))
    )
    return {
        "assigned": assigned,
        "disputed": disputed,
        "consulted": consulted,
        "submitted": submitted,
        "dispute": Dispute.objects.get(task=disputed),
        "extension": extension,
        "input": inputs,
        "guidance": guidance,
        "attachment": attachment,
    }


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _get(client: Client, url: str) -> Any:
    return client.get(url)


def _operations(ww: WorkWorld, rows: dict[str, Any]) -> list[tuple[str, Callable[[Client], Any]]]:
    later = str(today() + dt.timedelta(days=30))
    t = {name: rows[name].pk for name in ("assigned", "disputed", "consulted", "submitted")}
    on = f"{API}/tasks"
    grades = {"quality_grade": "good", "effectiveness_grade": "high"}
    json_posts: list[tuple[str, dict[str, Any]]] = [
        # The lead side, on a task in a state where the command would be allowed and in one
        # where it would not (an insider would get 409 there).
        (f"{on}/{t['assigned']}/accept", {}),
        (f"{on}/{t['submitted']}/accept", {}),
        (f"{on}/{t['assigned']}/refuse", {"reason": "x", "proposed_unit_id": ww.dept_b.pk}),
        (f"{on}/{t['consulted']}/progress", {"percent": 5, "text": "x"}),
        (f"{on}/{t['assigned']}/progress", {"percent": 5, "text": "x"}),
        (f"{on}/{t['consulted']}/submit", {}),
        (f"{on}/{t['assigned']}/extensions", {"new_deadline": later, "reason": "x"}),
        # The assigner side.
        (f"{on}/{t['submitted']}/approve", grades),
        (f"{on}/{t['assigned']}/approve", grades),
        (f"{on}/{t['submitted']}/return", {"reason": "x"}),
        (f"{on}/{t['assigned']}/cancel", {"reason": "x"}),
        (f"{API}/extensions/{rows['extension'].pk}/decide", {"approve": True}),
        (f"{API}/disputes/{rows['dispute'].pk}/decide", {"unit_id": ww.dept_b.pk, "reason": "x"}),
        # A new task under a hidden parent, through a unit the outsider does hold power in.
        (
            on,
            {
                "title": "x",
                "lead_unit_id": ww.w.other_root.pk,
                "assigning_unit_id": ww.w.other_root.pk,
                "deadline_rule": DeadlineRule.DATE,
                "deadline": later,
                "parent_id": t["consulted"],
            },
        ),
        # Collaboration.
        (f"{on}/{t['consulted']}/inputs", {"unit_id": ww.dept_b.pk, "question": "x"}),
        (f"{on}/{t['consulted']}/inputs/{rows['input'].pk}/answer", {"position": "agree"}),
        (f"{on}/{t['consulted']}/inputs/{rows['input'].pk}/unclear", {"note": "x"}),
        (f"{on}/{t['consulted']}/guidance", {"question": "x"}),
        (f"{on}/{t['consulted']}/guidance/{rows['guidance'].pk}/answer", {"answer": "x"}),
        (
            f"{on}/{t['consulted']}/subtasks",
            {"title": "x", "lead_unit_id": ww.div_a1.pk, "deadline": later},
        ),
    ]
    operations: list[tuple[str, Callable[[Client], Any]]] = [
        (f"POST {url}", partial(_post, url=url, body=body)) for url, body in json_posts
    ]
    upload = f"{on}/{t['consulted']}/attachments"
    operations.append(
        (
            f"POST {upload}",
            lambda client: client.post(
                upload, {"file": SimpleUploadedFile("b.pdf", PDF, "application/pdf")}
            ),
        )
    )
    for url in (
        f"{on}/{t['consulted']}",
        f"{API}/disputes/{rows['dispute'].pk}",
        f"{on}/{t['consulted']}/inputs",
        f"{on}/{t['consulted']}/guidance",
        f"{on}/{t['consulted']}/attachments",
        f"{on}/{t['consulted']}/attachments/{rows['attachment'].pk}",
        f"{on}/{t['consulted']}/subtasks",
    ):
        operations.append((f"GET {url}", partial(_get, url=url)))
    return operations


def test_an_outsider_gets_404_from_every_operation_before_any_command_runs(
    ww: WorkWorld, settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _everything(ww, settings, tmp_path)
    outsider = bearer(ww.w.outsider)
    operations = _operations(ww, rows)
    ran: list[str] = []

    def command_ran(name: str) -> Callable[..., Any]:
        def run(**kwargs: Any) -> Any:
            ran.append(name)
            raise AssertionError(f"{name} ran for someone who may not see its task")

        return run

    for name in services.__all__:
        if callable(getattr(services, name)) and name[0].islower():
            monkeypatch.setattr(services, name, command_ran(name))
    before = snapshot()
    for label, operation in operations:
        response = operation(outsider)
        assert response.status_code == 404, (label, response.content)
        assert response.json()["code"] == "not_found", label
    assert ran == []
    assert snapshot() == before
    assert Task.objects.filter(lead_unit=ww.w.other_root).count() == 0
    assert Attachment.objects.count() == 1 and Extension.objects.count() == 1


def test_an_insider_is_told_the_state_where_the_outsider_is_not(
    ww: WorkWorld, settings: Any, tmp_path: Any
) -> None:
    """The contrast: the same request by the task's own lead answers 409 with the state."""
    rows = _everything(ww, settings, tmp_path)
    url = f"{API}/tasks/{rows['submitted'].pk}/accept"
    insider = _post(bearer(ww.w.head), url, {})
    assert (insider.status_code, insider.json()["code"]) == (409, "work.wrong_state")
    outsider = _post(bearer(ww.w.outsider), url, {})
    assert (outsider.status_code, outsider.json()["code"]) == (404, "not_found")
    assert "status" not in outsider.json().get("details", {})
