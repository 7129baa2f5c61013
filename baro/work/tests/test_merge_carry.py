"""A merger of units carries their open work to the successor in the same command (issue 13,
point 1): tasks, disputes, coordinator roles, plans and pending extensions; what cannot be
carried refuses the whole merger, listing it, with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from baro.cascade import services as cascade_services
from baro.cascade.models import DirectiveReceipt
from baro.core.errors import AuthorityError
from baro.core.timeutil import today
from baro.org import services as org_services
from baro.org.history import readable
from baro.org.models import Person, Role, Unit, UnitKind
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld, assign, refused, work_snapshot
from baro.work import services
from baro.work.models import (
    Directive,
    DirectiveKind,
    Dispute,
    Extension,
    ExtensionStatus,
    Task,
    TaskCoordinator,
    TaskStatus,
)
from baro.work.queries.detail import task_history

TOMORROW = today() + dt.timedelta(days=1)


def merge_b_into_a(ww: WorkWorld) -> Unit:
    return org_services.unit_merge(actor=ww.w.admin, units=[ww.dept_b], into=ww.dept_a, on=TOMORROW)


def directive(ww: WorkWorld, number: str = "24-CT/TU") -> Directive:
    return services.directive_register(
        actor=ww.city_head,
        number_symbol=number,
        kind=DirectiveKind.DIRECTIVE,
        issuing_unit=ww.root,
        signed_on=today(),
        title="Về tăng cường kỷ luật, kỷ cương",
        requires_cascade=True,
    )


def test_a_merger_carries_every_open_thing_to_the_successor_in_one_event(
    ww: WorkWorld,
) -> None:
    dept_c = org_services.unit_create(
        actor=ww.w.admin, code="SO-C", name="Sở C", kind=UnitKind.DEPARTMENT, parent=ww.root
    )
    officer_b = org_services.person_create(
        actor=ww.w.admin, unit=ww.dept_b, full_name="Chuyên Viên B", code="CV-B", role=Role.OFFICER
    )
    waiting = assign(ww, title="Chờ tiếp nhận", lead_unit=ww.dept_b, officer=officer_b)
    coordinated = assign(
        ww, title="B phối hợp", lead_unit=ww.div_a1, coordinators=[(ww.dept_b, "Phần B", None)]
    )
    both = assign(
        ww,
        title="A và B cùng phối hợp",
        lead_unit=dept_c,
        coordinators=[(ww.dept_a, "Phần A", None), (ww.dept_b, "Phần B", None)],
    )
    led_by_a = assign(ww, title="A chủ trì", coordinators=[(ww.dept_b, "Phần B", None)])
    disputed = assign(ww, title="Tranh chấp", lead_unit=ww.dept_b)
    services.task_refuse(actor=ww.head_b, task=disputed, reason="Của Sở C", proposed_unit=dept_c)
    extended = assign(ww, title="Gia hạn", lead_unit=ww.dept_b)
    services.task_accept(actor=ww.head_b, task=extended)
    extension = services.extension_request(
        actor=ww.head_b,
        task=extended,
        new_deadline=extended.deadline + dt.timedelta(days=30),
        reason="Chờ số liệu",
    )
    done = assign(ww, title="Đã hủy", lead_unit=ww.dept_b)
    services.task_cancel(actor=ww.city_head, task=done, reason="Không còn cần")
    plan = cascade_services.directive_send(
        actor=ww.city_head, directive=directive(ww), units=[ww.dept_b]
    )[0]

    seq = last_seq()
    merge_b_into_a(ww)
    event = one_new_event(seq)
    assert event.action == "org.unit.merged"

    def lead(task: Task) -> int:
        return Task.objects.get(pk=task.pk).lead_unit_id

    assert lead(waiting) == lead(disputed) == lead(extended) == ww.dept_a.pk
    assert lead(done) == ww.dept_b.pk  # closed work stays with the unit that ended it
    assert Task.objects.get(pk=waiting.pk).officer_id is None  # not in Sở A: A names its own
    parts = TaskCoordinator.objects.filter
    assert list(parts(task=coordinated).values_list("unit_id", "part")) == [
        (ww.dept_a.pk, "Phần B")
    ]
    assert list(parts(task=both).values_list("unit_id", "part")) == [
        (ww.dept_a.pk, "Phần A\nPhần B")
    ]
    assert not parts(task=led_by_a).exists()  # A leads it: its coordinating part ends
    dispute = Dispute.objects.get(task=disputed)
    assert (dispute.refusing_unit_id, dispute.proposed_unit_id, dispute.decider_unit_id) == (
        ww.dept_a.pk,
        dept_c.pk,
        ww.root.pk,
    )
    assert Extension.objects.get(pk=extension.pk).status == ExtensionStatus.REQUESTED
    assert DirectiveReceipt.objects.get(pk=plan.pk).unit_id == ww.dept_a.pk

    refs = set(event.payload["refs"])
    for task in (waiting, coordinated, both, led_by_a, disputed, extended):
        assert f"work.task:{task.pk}" in refs
    assert f"work.task:{done.pk}" not in refs
    assert {f"work.dispute:{dispute.pk}", f"work.extension:{extension.pk}"} <= refs
    assert f"cascade.receipt:{plan.pk}" in refs

    # The successor's head takes the carried task; the assigner decides the kept extension.
    accepted = services.task_accept(actor=ww.w.head, task=Task.objects.get(pk=waiting.pk))
    assert accepted.status == TaskStatus.IN_PROGRESS
    services.extension_decide(actor=ww.city_head, extension=extension, approve=True, note="Đồng ý")


def test_each_carried_task_shows_the_merger_in_its_history(ww: WorkWorld) -> None:
    task = assign(ww, lead_unit=ww.dept_b)
    other = assign(ww, lead_unit=ww.dept_b, title="Nhiệm vụ khác")
    merge_b_into_a(ww)
    history = readable(task_history(Task.objects.get(pk=task.pk)))
    assert history[0].action == "org.unit.merged"
    shown = vars(history[0])  # readable() sets its labels on each event
    assert shown["detail"] == "Nhiệm vụ, việc đang mở chuyển sang đơn vị kế thừa Sở A"
    # one task's ref does not match another's id that starts with the same digits
    assert [e.action for e in task_history(other)].count("org.unit.merged") == 1

    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert ww.w.head.user is not None
    client.force_login(ww.w.head.user)
    page = client.get(reverse("work:task_detail", args=[task.pk])).content.decode()
    assert "chuyển sang đơn vị kế thừa Sở A" in page


def test_closing_a_unit_with_a_successor_carries_too(ww: WorkWorld) -> None:
    task = assign(ww, lead_unit=ww.dept_b)
    seq = last_seq()
    org_services.unit_close(actor=ww.w.admin, unit=ww.dept_b, on=TOMORROW, successor=ww.dept_a)
    event = one_new_event(seq)
    assert Task.objects.get(pk=task.pk).lead_unit_id == ww.dept_a.pk
    assert f"work.task:{task.pk}" in event.payload["refs"]


def _unchanged_units(ww: WorkWorld) -> None:
    assert Unit.objects.get(pk=ww.dept_b.pk).valid_to is None


def test_a_dispute_between_the_merged_unit_and_the_successor_refuses_the_merger(
    ww: WorkWorld,
) -> None:
    task = assign(ww, title="Việc của ai", lead_unit=ww.dept_b)
    services.task_refuse(actor=ww.head_b, task=task, reason="Của Sở A", proposed_unit=ww.dept_a)
    carried_elsewhere = assign(ww, lead_unit=ww.dept_b, title="Việc khác")
    error = refused("org.merge_open_items", lambda: merge_b_into_a(ww))
    assert "“Việc của ai”" in error.message
    assert error.field == "units"
    _unchanged_units(ww)
    assert Task.objects.get(pk=carried_elsewhere.pk).lead_unit_id == ww.dept_b.pk


def test_a_plan_both_units_owe_refuses_the_merger_naming_every_open_thing(
    ww: WorkWorld,
) -> None:
    cascade_services.directive_send(
        actor=ww.city_head, directive=directive(ww), units=[ww.dept_a, ww.dept_b]
    )
    task = assign(ww, title="Việc của ai", lead_unit=ww.dept_b)
    services.task_refuse(actor=ww.head_b, task=task, reason="Của Sở A", proposed_unit=ww.dept_a)
    before = list(DirectiveReceipt.objects.order_by("pk").values())
    error = refused("org.merge_open_items", lambda: merge_b_into_a(ww))
    assert "24-CT/TU" in error.message
    assert "“Việc của ai”" in error.message  # every area's blockers, in one refusal
    assert len(error.details["open"]) == 2
    assert list(DirectiveReceipt.objects.order_by("pk").values()) == before
    _unchanged_units(ww)


def test_a_long_refusal_counts_the_rest_in_the_reader_s_language(ww: WorkWorld) -> None:
    for n in range(12):
        task = assign(ww, title=f"Việc {n}", lead_unit=ww.dept_b)
        services.task_refuse(actor=ww.head_b, task=task, reason="Của Sở A", proposed_unit=ww.dept_a)
    with translation.override("en"):
        error = refused("org.merge_open_items", lambda: merge_b_into_a(ww))
    assert len(error.details["open"]) == 12
    assert "“Việc 9”" in error.message and "“Việc 10”" not in error.message
    assert "; and 2 more items. Resolve them before the merger." in error.message
    with translation.override("vi"):
        error = refused("org.merge_open_items", lambda: merge_b_into_a(ww))
    assert "; và 2 việc khác. Hãy giải quyết" in error.message


def test_the_web_merge_shows_the_refusal_by_the_field(ww: WorkWorld) -> None:
    task = assign(ww, title="Việc của ai", lead_unit=ww.dept_b)
    services.task_refuse(actor=ww.head_b, task=task, reason="Của Sở A", proposed_unit=ww.dept_a)
    admin: Person = ww.w.admin
    assert admin.user is not None
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(admin.user)
    before = work_snapshot()
    response = client.post(
        reverse("org:unit_merge", args=[ww.dept_b.pk]),
        {"into": "SO-A", "others": "", "on": TOMORROW.strftime("%d/%m/%Y"), "confirmed": "1"},
    )
    assert response.status_code == 400
    assert "Chưa thể chuyển sang Sở A" in response.context["form"].errors["others"][0]
    assert "Chưa thể chuyển sang Sở A" in response.content.decode()
    assert work_snapshot() == before
    _unchanged_units(ww)


@pytest.mark.parametrize("who", ["head_b", "city_head"])
def test_only_a_registry_manager_merges(ww: WorkWorld, who: str) -> None:
    assign(ww, lead_unit=ww.dept_b)
    with pytest.raises(AuthorityError):
        org_services.unit_merge(
            actor=getattr(ww, who), units=[ww.dept_b], into=ww.dept_a, on=TOMORROW
        )
    _unchanged_units(ww)
