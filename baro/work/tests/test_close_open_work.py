"""Closing a unit without a successor while it has open work is refused, listing it all
(issue 13, point 1 follow-up): nobody holds power over a closed unit, so what it left open
could never be accepted, decided or answered. And a dispute decision that bound a merged unit
binds its successor on the carried task."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from baro.cascade import services as cascade_services
from baro.cascade.models import DirectiveReceipt
from baro.core.errors import AuthorityError
from baro.core.timeutil import today
from baro.ledger.models import LedgerEvent
from baro.org import services as org_services
from baro.org.models import Person, Position, Unit, UnitKind, UnitSuccession
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld, assign, bearer, refused, row
from baro.work import services
from baro.work.models import (
    Directive,
    DirectiveKind,
    Dispute,
    GuidanceRequest,
    InputRequest,
    Task,
    TaskStatus,
)
from baro.work.permissions import bound_refusal
from baro.work.queries.detail import binding_decision, open_dispute

pytestmark = pytest.mark.django_db

TOMORROW = today() + dt.timedelta(days=1)
ORG_API = "/api/v1/org"


def snapshot() -> dict[str, list[dict[str, object]]]:
    """Every row a closing or its carry-over could touch, and the ledger."""
    models: list[Any] = [
        Unit,
        Position,
        UnitSuccession,
        Task,
        Dispute,
        InputRequest,
        GuidanceRequest,
        DirectiveReceipt,
        LedgerEvent,
    ]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


def directive(ww: WorkWorld) -> Directive:
    return services.directive_register(
        actor=ww.city_head,
        number_symbol="24-CT/TU",
        kind=DirectiveKind.DIRECTIVE,
        issuing_unit=ww.root,
        signed_on=today(),
        title="Về tăng cường kỷ luật, kỷ cương",
        requires_cascade=True,
    )


def open_work_at_b(ww: WorkWorld) -> dict[str, str]:
    """One open thing of each kind at Sở B: the ref each is listed by."""
    led = assign(ww, title="Sở B chủ trì", lead_unit=ww.dept_b)
    services.task_accept(actor=ww.head_b, task=led)
    extension = services.extension_request(
        actor=ww.head_b, task=led, new_deadline=led.deadline + dt.timedelta(days=30), reason="Chờ"
    )
    given = row(ww, title="Sở B giao", assigning_unit=ww.dept_b, assigner=ww.head_b)
    coordinated = assign(
        ww, title="Sở B phối hợp", coordinators=[(ww.dept_b, "Phần của Sở B", None)]
    )
    services.task_accept(actor=ww.w.head, task=coordinated)
    asked = services.input_request(
        actor=ww.w.head, task=coordinated, unit=ww.dept_b, question="Ý kiến của Sở B?"
    )
    disputed = assign(ww, title="Sở B trả lại", lead_unit=ww.dept_b)
    services.task_refuse(actor=ww.head_b, task=disputed, reason="Của Sở A", proposed_unit=ww.dept_a)
    dispute = open_dispute(disputed)
    assert dispute is not None
    # A guidance request to Sở B as a superior: Sở B has no unit below it (it could not close
    # otherwise), so the row is arranged directly, as testing.work.row does for tasks.
    guided = row(ww, title="Xin chỉ đạo Sở B")
    guidance = GuidanceRequest.objects.create(
        task=guided,
        asking_unit=ww.dept_a,
        superior_unit=ww.dept_b,
        asked_by=ww.w.head,
        question="Xin ý kiến",
        question_hash="x",
        due_on=TOMORROW,
    )
    plan = cascade_services.directive_send(
        actor=ww.city_head, directive=directive(ww), units=[ww.dept_b]
    )[0]
    return {
        "led": f"work.task:{led.pk}",
        "given": f"work.task:{given.pk}",
        "coordinated": f"work.task:{coordinated.pk}",
        "extension": f"work.extension:{extension.pk}",
        "input": f"work.input_request:{asked.pk}",
        "disputed": f"work.task:{disputed.pk}",  # still led by Sở B while disputed
        "dispute": f"work.dispute:{dispute.pk}",
        "guidance": f"work.guidance_request:{guidance.pk}",
        "plan": f"cascade.receipt:{plan.pk}",
    }


def close_b(ww: WorkWorld, actor: Person | None = None) -> Unit:
    return org_services.unit_close(actor=actor or ww.w.admin, unit=ww.dept_b, on=TOMORROW)


def test_closing_without_a_successor_is_refused_listing_every_open_thing(
    ww: WorkWorld,
) -> None:
    refs = open_work_at_b(ww)
    for n in (1, 2):
        more = assign(ww, title=f"Việc thêm {n}", lead_unit=ww.dept_b)
        refs[f"more{n}"] = f"work.task:{more.pk}"
    before, seq = snapshot(), last_seq()
    error = refused("org.unit_has_open_work", lambda: close_b(ww))
    assert snapshot() == before and last_seq() == seq  # nothing written, no event
    assert error.field == "successor"
    assert set(error.details["refs"]) == set(refs.values())
    opened = error.details["open"]
    assert len(opened) == len(error.details["refs"])
    for text in (
        "nhiệm vụ “Sở B chủ trì” do Sở B chủ trì",
        "nhiệm vụ “Sở B giao” do Sở B giao",
        "nhiệm vụ “Sở B phối hợp” do Sở B phối hợp",
        "nhiệm vụ “Sở B trả lại” do Sở B chủ trì",
        "đề nghị gia hạn nhiệm vụ “Sở B chủ trì” chưa được quyết định",
        "đề nghị góp ý gửi Sở B về nhiệm vụ “Sở B phối hợp” chưa được trả lời",
        "tranh chấp thẩm quyền về nhiệm vụ “Sở B trả lại” chưa được quyết định",
        "xin ý kiến chỉ đạo của Sở B về nhiệm vụ “Xin chỉ đạo Sở B” chưa được trả lời",
        "kế hoạch thực hiện văn bản 24-CT/TU của Sở B chưa triển khai xong",
    ):
        assert text in opened
    assert error.message.startswith("Đơn vị Sở B còn việc đang mở: ")
    assert "chỉ định đơn vị kế thừa" in error.message
    # more than SHOWN_BLOCKERS (10) items: the rest counted, not listed
    assert len(opened) == 11
    assert error.message.count("; ") == 10
    assert "; và 1 việc khác." in error.message

    # Named a successor, the same closing carries it all.
    dept_c = org_services.unit_create(
        actor=ww.w.admin, code="SO-C", name="Sở C", kind=UnitKind.DEPARTMENT, parent=ww.root
    )
    seq = last_seq()
    org_services.unit_close(actor=ww.w.admin, unit=ww.dept_b, on=TOMORROW, successor=dept_c)
    assert set(refs.values()) <= set(one_new_event(seq).payload["refs"])


def test_closing_with_only_settled_work_still_works(ww: WorkWorld) -> None:
    cancelled = assign(ww, title="Đã hủy", lead_unit=ww.dept_b)
    services.task_cancel(actor=ww.city_head, task=cancelled, reason="Không còn cần")
    kept = assign(ww, title="Sở A giữ")
    services.task_refuse(actor=ww.w.head, task=kept, reason="Của Sở B", proposed_unit=ww.dept_b)
    dispute = open_dispute(kept)
    assert dispute is not None
    services.dispute_decide(actor=ww.city_head, dispute=dispute, unit=ww.dept_a, reason="Giữ")
    seq = last_seq()
    close_b(ww)
    assert one_new_event(seq).action == "org.unit.closed"
    assert Unit.objects.get(pk=ww.dept_b.pk).valid_to == TOMORROW
    assert Task.objects.get(pk=cancelled.pk).lead_unit_id == ww.dept_b.pk


@pytest.mark.parametrize("who", ["head_b", "city_head"])
def test_who_may_not_close_is_refused_authority_first(ww: WorkWorld, who: str) -> None:
    open_work_at_b(ww)
    refused("auth.denied", lambda: close_b(ww, getattr(ww, who)), error=AuthorityError)


def test_the_web_close_form_shows_the_refusal_by_the_successor_field(ww: WorkWorld) -> None:
    assign(ww, title="Sở B chủ trì", lead_unit=ww.dept_b)
    admin: Person = ww.w.admin
    assert admin.user is not None
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(admin.user)
    before = snapshot()
    response = client.post(
        reverse("org:unit_close", args=[ww.dept_b.pk]),
        {
            "on": TOMORROW.strftime("%d/%m/%Y"),
            "kind": "dissolved",
            "successor": "",
            "decision_ref": "QĐ 1",
            "confirmed": "1",
        },
    )
    assert response.status_code == 400
    shown = response.context["form"].errors["successor"][0]
    assert "Đơn vị Sở B còn việc đang mở: nhiệm vụ “Sở B chủ trì” do Sở B chủ trì" in shown
    assert "Đơn vị Sở B còn việc đang mở" in response.content.decode()
    assert snapshot() == before


def test_the_api_close_answers_the_code_and_the_items(ww: WorkWorld) -> None:
    task = assign(ww, title="Sở B chủ trì", lead_unit=ww.dept_b)
    client = bearer(ww.w.admin)
    before = snapshot()
    response = client.post(
        f"{ORG_API}/units/{ww.dept_b.pk}/close",
        data=json.dumps({"on": TOMORROW.isoformat()}),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "org.unit_has_open_work"
    assert body["field"] == "successor"
    assert body["details"]["refs"] == [f"work.task:{task.pk}"]
    assert body["details"]["open"] == ["nhiệm vụ “Sở B chủ trì” do Sở B chủ trì"]
    assert snapshot() == before


def test_a_decision_that_bound_the_merged_unit_binds_its_successor(ww: WorkWorld) -> None:
    dept_c = org_services.unit_create(
        actor=ww.w.admin, code="SO-C", name="Sở C", kind=UnitKind.DEPARTMENT, parent=ww.root
    )
    task = assign(ww, title="Việc đã quyết")
    services.task_refuse(actor=ww.w.head, task=task, reason="Của Sở B", proposed_unit=ww.dept_b)
    dispute = open_dispute(task)
    assert dispute is not None
    services.dispute_decide(actor=ww.city_head, dispute=dispute, unit=ww.dept_b, reason="Sở B")
    org_services.unit_merge(actor=ww.w.admin, units=[ww.dept_b], into=ww.dept_a, on=TOMORROW)
    task = Task.objects.get(pk=task.pk)
    assert (task.lead_unit_id, task.status) == (ww.dept_a.pk, TaskStatus.ASSIGNED)
    # The decision is kept as it was made: it named Sở B.
    assert Dispute.objects.get(pk=dispute.pk).decided_unit_id == ww.dept_b.pk
    assert binding_decision(task) == dispute
    error = refused(
        "work.dispute_final",
        lambda: services.task_refuse(
            actor=ww.w.head, task=task, reason="Của Sở C", proposed_unit=dept_c
        ),
    )
    assert "quyết định Sở B chủ trì" in error.message and "Sở A kế thừa Sở B" in error.message
    assert bound_refusal(task, binding_decision(task)) == error.message


def test_a_decision_naming_another_unit_does_not_bind_the_lead(ww: WorkWorld) -> None:
    """The succession is followed from the unit named to the lead only: a merged unit that was
    merely proposed (the decision kept Sở A) binds nothing new."""
    task = assign(ww, title="Việc đã quyết")
    services.task_refuse(actor=ww.w.head, task=task, reason="Của Sở B", proposed_unit=ww.dept_b)
    dispute = open_dispute(task)
    assert dispute is not None
    services.dispute_decide(actor=ww.city_head, dispute=dispute, unit=ww.dept_a, reason="Sở A")
    other = assign(ww, title="Việc khác của Sở B", lead_unit=ww.dept_b)
    org_services.unit_merge(actor=ww.w.admin, units=[ww.dept_b], into=ww.dept_a, on=TOMORROW)
    other = Task.objects.get(pk=other.pk)
    assert other.lead_unit_id == ww.dept_a.pk
    assert binding_decision(other) is None  # no decision on this task
    assert binding_decision(Task.objects.get(pk=task.pk)) == dispute  # named Sở A itself


def test_the_closing_refusal_reads_in_english(ww: WorkWorld) -> None:
    for n in range(11):
        assign(ww, title=f"Việc {n}", lead_unit=ww.dept_b)
    with translation.override("en"):
        error = refused("org.unit_has_open_work", lambda: close_b(ww))
    assert error.message.startswith("Unit Sở B still has open work: task “Việc 0” led by Sở B; ")
    assert error.message.endswith(
        "; and 1 more item. Nobody holds authority over a closed unit, so name a successor "
        "unit to take this work over, or settle it before closing the unit."
    )
