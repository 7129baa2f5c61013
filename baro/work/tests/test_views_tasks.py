"""Directive and task pages through Django's test client: who may open each page (200, else a
403 page or a 404), what a successful form changes (the state and exactly one ledger event) and
how bad input comes back (the message next to its field, nothing written).

Personas (on top of the registry's `world`, see baro/testing/org.py):
  boss       HEAD of Hà Nội, with a login: assigns to Sở A / Sở B, approves, decides disputes
  head       HEAD of Sở A (the lead side)      officer   OFFICER in Phòng A1 (named officer)
  head_b     HEAD of Sở B, with a login        clerk     SECRETARIAT at Hà Nội, with a login
  outsider   ADMIN of Hải Phòng (another tree: sees nothing)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from baro.core.timeutil import today
from baro.ledger.models import LedgerEvent
from baro.org.models import Person, Role
from baro.org.services import person_create
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.org import World
from baro.testing.work import work_snapshot
from baro.work import services
from baro.work.models import (
    DeadlineRule,
    Directive,
    DirectiveKind,
    Dispute,
    Extension,
    ExtensionStatus,
    Task,
    TaskStatus,
)

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem-2026"


@dataclass
class People:
    w: World
    boss: Person
    head_b: Person
    clerk: Person

    def __getattr__(self, name: str) -> Any:
        return getattr(self.w, name)


@pytest.fixture
def pp(world: World) -> People:
    def person(unit: Any, role: str, name: str, code: str) -> Person:
        return person_create(
            actor=world.admin,
            unit=unit,
            full_name=name,
            code=code,
            role=role,
            username=code.lower(),
            password=PASSWORD,
        )

    return People(
        world,
        boss=person(world.root, Role.HEAD, "Chủ Tịch Thành Phố", "CT-HN"),
        head_b=person(world.dept_b, Role.HEAD, "Giám Đốc Sở B", "GD-SOB"),
        clerk=person(world.root, Role.SECRETARIAT, "Văn Thư Thành Phố", "VT-HN"),
    )


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def body(response: Any) -> str:
    return response.content.decode()


def assign(pp: People, **overrides: Any) -> Task:
    kwargs: dict[str, Any] = {
        "actor": pp.boss,
        "title": "Rà soát thủ tục hành chính lĩnh vực đất đai",
        "lead_unit": pp.dept_a,
        "assigning_unit": pp.root,
        "deadline_rule": DeadlineRule.WORKING_DAYS,
        "deadline_days": 10,
        "officer": pp.officer,
    }
    kwargs.update(overrides)
    return services.task_assign(**kwargs)


def in_progress(pp: People) -> Task:
    return services.task_accept(actor=pp.head, task=assign(pp))


def submitted(pp: People) -> Task:
    return services.task_submit(actor=pp.head, task=in_progress(pp))


def disputed(pp: People) -> Task:
    return services.task_refuse(
        actor=pp.head, task=assign(pp), reason="Không thuộc chức năng", proposed_unit=pp.dept_b
    )


def with_extension(pp: People) -> Task:
    task = in_progress(pp)
    services.extension_request(
        actor=pp.head,
        task=task,
        new_deadline=task.deadline + dt.timedelta(days=10),
        reason="Chờ số liệu",
    )
    return task


def url(name: str, task: Task) -> str:
    return reverse(f"work:{name}", args=[task.pk])


def field_error(response: Any, field: str) -> str:
    """The error shown inside the field's block (id="field-<name>")."""
    html = body(response)
    start = html.index(f'id="field-{field}"')
    block = html[start : html.index("</div>", start)]
    marker = 'class="error" role="alert">'
    assert marker in block, block
    return block.split(marker, 1)[1].split("</p>", 1)[0]


# --------------------------------------------------------------------------------------------
# directives


def register_directive(pp: People, **overrides: Any) -> Directive:
    kwargs: dict[str, Any] = {
        "actor": pp.clerk,
        "number_symbol": "12-CT/TU",
        "kind": DirectiveKind.DIRECTIVE,
        "issuing_unit": pp.root,
        "signed_on": today() - dt.timedelta(days=3),
        "title": "Về nâng cao hiệu quả thực hiện nhiệm vụ",
        "groups": ["Nhiệm vụ trọng tâm", "Nhiệm vụ thường xuyên"],
    }
    kwargs.update(overrides)
    return services.directive_register(**kwargs)


def test_directive_list_shows_the_directives_of_ones_tree_with_search(pp: People) -> None:
    register_directive(pp)
    register_directive(pp, number_symbol="05-KH/UBND", title="Kế hoạch chuyển đổi số")
    client = client_for(pp.head)
    response = client.get(reverse("work:directive_list"))
    assert response.status_code == 200
    assert "12-CT/TU" in body(response) and "05-KH/UBND" in body(response)
    assert "Vào sổ văn bản" in body(response)  # a head holds directive.issue
    found = body(client.get(reverse("work:directive_list"), {"q": "chuyển đổi"}))
    assert "05-KH/UBND" in found and "12-CT/TU" not in found
    assert "12-CT/TU" not in body(client_for(pp.outsider).get(reverse("work:directive_list")))
    assert "Vào sổ văn bản" not in body(client_for(pp.officer).get(reverse("work:directive_list")))


def test_directive_list_filters_by_year(pp: People) -> None:
    register_directive(pp)
    register_directive(pp, number_symbol="01-CT/TU", signed_on=dt.date(2024, 5, 2))
    response = client_for(pp.boss).get(reverse("work:directive_list"), {"year": "2024"})
    assert "01-CT/TU" in body(response) and "12-CT/TU" not in body(response)


def test_the_secretariat_registers_a_directive_with_its_groups(pp: People) -> None:
    client = client_for(pp.clerk)
    assert client.get(reverse("work:directive_register")).status_code == 200
    seq = last_seq()
    response = client.post(
        reverse("work:directive_register"),
        {
            "number_symbol": "12-CT/TU",
            "kind": "directive",
            "issuing_unit": pp.root.pk,
            "signed_on": (today() - dt.timedelta(days=2)).strftime("%d/%m/%Y"),
            "title": "Về thực hiện Ba Rõ",
            "requires_cascade": "on",
            "plan_days": "7",
            "deploy_days": "14",
            "groups": "I. Nhiệm vụ trọng tâm\n\nII. Nhiệm vụ thường xuyên\n",
        },
    )
    directive = Directive.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("work:directive_detail", args=[directive.pk])
    assert [g.name for g in directive.groups.all()] == [
        "I. Nhiệm vụ trọng tâm",
        "II. Nhiệm vụ thường xuyên",
    ]
    assert directive.requires_cascade and directive.registered_by == pp.clerk
    assert one_new_event(seq).action == "work.directive.registered"
    page = body(client.get(response["Location"]))
    assert "I. Nhiệm vụ trọng tâm" in page and "Đã vào sổ văn bản 12-CT/TU." in page


def test_registering_refuses_bad_input_next_to_the_field(pp: People) -> None:
    register_directive(pp)
    client = client_for(pp.clerk)
    before = work_snapshot()
    data = {
        "number_symbol": "12-CT/TU",
        "kind": "directive",
        "issuing_unit": pp.root.pk,
        "signed_on": (today() - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "title": "Trùng số",
        "plan_days": "7",
        "deploy_days": "14",
    }
    response = client.post(reverse("work:directive_register"), data)
    assert response.status_code == 400
    assert "đã có văn bản số 12-CT/TU" in field_error(response, "number_symbol")
    response = client.post(
        reverse("work:directive_register"), {**data, "number_symbol": "25-CT/TU", "title": ""}
    )
    assert field_error(response, "title") == "Chưa nhập trích yếu."
    response = client.post(
        reverse("work:directive_register"),
        {**data, "number_symbol": "25-CT/TU", "plan_days": "10", "deploy_days": "5"},
    )
    assert "không lớn hơn số ngày triển khai" in field_error(response, "deploy_days")
    assert work_snapshot() == before


def test_registering_is_refused_to_an_officer(pp: People) -> None:
    response = client_for(pp.officer).get(reverse("work:directive_register"))
    assert response.status_code == 403
    assert "Vào sổ văn bản chỉ đạo" in body(response)


def test_directive_page_lists_groups_and_tasks(pp: People) -> None:
    directive = register_directive(pp)
    group = directive.groups.first()
    assign(pp, directive=directive, group=group, title="Rà soát quy chế làm việc")
    response = client_for(pp.boss).get(reverse("work:directive_detail", args=[directive.pk]))
    page = body(response)
    assert response.status_code == 200
    assert "Nhiệm vụ trọng tâm" in page and "Rà soát quy chế làm việc" in page
    assert "Đang thực hiện trong hạn" in page and "Giao nhiệm vụ" in page
    assert f"?directive={directive.pk}&amp;group={group.pk}" in page
    outsider = client_for(pp.outsider)
    assert outsider.get(reverse("work:directive_detail", args=[directive.pk])).status_code == 404


# --------------------------------------------------------------------------------------------
# assignment


def assign_data(pp: People, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Xây dựng kế hoạch cải cách hành chính",
        "description": "Theo Chỉ thị 24",
        "expected_output": "Kế hoạch trình UBND",
        "quality_criteria": "Đúng thể thức",
        "priority": "high",
        "is_new_difficult": "on",
        "assigning_unit": pp.root.pk,
        "lead_unit": pp.dept_a.pk,
        "officer": pp.officer.pk,
        "deadline_rule": "working_days",
        "deadline_days": "10",
        "coord-TOTAL_FORMS": "3",
        "coord-INITIAL_FORMS": "0",
        "coord-0-unit": pp.dept_b.pk,
        "coord-0-part": "Cung cấp số liệu",
        "coord-0-sub_deadline": "",
    }
    data.update(overrides)
    return data


def test_a_leader_assigns_a_task_with_a_coordinator_through_the_page(pp: People) -> None:
    client = client_for(pp.boss)
    page = client.get(reverse("work:task_assign"))
    assert page.status_code == 200 and "Sở A" in body(page)
    seq = last_seq()
    response = client.post(reverse("work:task_assign"), assign_data(pp))
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == url("task_detail", task)
    assert task.lead_unit == pp.dept_a and task.officer == pp.officer
    assert task.priority == "high" and task.is_new_difficult and not task.is_innovation
    assert task.deadline == services.compute_deadline(
        assigned_on=today(), rule="working_days", days=10
    )
    assert [(c.unit, c.part) for c in task.coordinators.all()] == [(pp.dept_b, "Cung cấp số liệu")]
    event = one_new_event(seq)
    assert event.action == "work.task.assigned" and event.actor == pp.boss.ledger_ref


def test_assigning_under_a_directive_group(pp: People) -> None:
    directive = register_directive(pp)
    group = directive.groups.last()
    target = f"{reverse('work:task_assign')}?directive={directive.pk}&group={group.pk}"
    client = client_for(pp.boss)
    assert group.name in body(client.get(target))
    client.post(target, assign_data(pp, group=group.pk))
    task = Task.objects.get()
    assert task.directive == directive and task.group == group


def test_assigning_refuses_bad_input_next_to_the_field(pp: People) -> None:
    client = client_for(pp.boss)
    before = work_snapshot()
    yesterday = (today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("work:task_assign"),
        assign_data(pp, deadline_rule="date", deadline=yesterday),
    )
    assert response.status_code == 400
    assert "trước ngày giao" in field_error(response, "deadline")
    response = client.post(reverse("work:task_assign"), assign_data(pp, title=""))
    assert field_error(response, "title") == "Chưa nhập tên nhiệm vụ."
    response = client.post(
        reverse("work:task_assign"), assign_data(pp, **{"coord-0-unit": pp.dept_a.pk})
    )
    assert "không thể đồng thời là đơn vị phối hợp" in body(response)
    response = client.post(reverse("work:task_assign"), assign_data(pp, lead_unit=""))
    assert field_error(response, "lead_unit") == "Chưa chọn đơn vị chủ trì."
    assert work_snapshot() == before


def test_assigning_is_refused_to_who_holds_no_assigning_power(pp: People) -> None:
    for person in (pp.officer, pp.clerk):
        response = client_for(person).get(reverse("work:task_assign"))
        assert response.status_code == 403
        assert "Giao nhiệm vụ" in body(response)


def test_the_deadline_preview_computes_the_rule(pp: People) -> None:
    client = client_for(pp.boss)
    due = services.compute_deadline(assigned_on=today(), rule="working_days", days=5)
    response = client.get(
        reverse("work:deadline_preview"), {"deadline_rule": "working_days", "deadline_days": "5"}
    )
    assert response.status_code == 200 and due.strftime("%d/%m/%Y") in body(response)
    response = client.get(
        reverse("work:deadline_preview"),
        {
            "deadline_rule": "period",
            "period_kind": "quarter",
            "period_year": "2030",
            "period_number": "9",
        },
    )
    assert "Kỳ hạn không hợp lệ." in body(response)


def test_the_officer_field_follows_the_lead_unit(pp: People) -> None:
    response = client_for(pp.boss).get(reverse("work:officer_options"), {"lead_unit": pp.dept_a.pk})
    assert pp.officer.full_name in body(response) and pp.head_b.full_name not in body(response)


# --------------------------------------------------------------------------------------------
# the task page


def test_the_task_page_shows_the_three_clears(pp: People) -> None:
    task = assign(pp, coordinators=[(pp.dept_b, "Số liệu đất đai", None)])
    response = client_for(pp.boss).get(url("task_detail", task))
    page = body(response)
    assert response.status_code == 200
    assert "Rõ quy trình, tiến độ, chất lượng" in page
    assert "Rõ thẩm quyền, trách nhiệm" in page
    # The third clear is served by oversight, loaded into the panel by its URL (htmx).
    assert f'hx-get="/giam-sat/nhiem-vu/{task.pk}/"' in page
    assert "Trong 10 ngày làm việc kể từ ngày giao" in page
    assert "Đang thực hiện trong hạn" in page
    assert "Trưởng Sở A" in page  # the accountable head of the lead unit
    assert "Số liệu đất đai" in page
    assert "Giao nhiệm vụ" in page  # the history names the ledger event
    assert 'aria-current="step"' in page


def test_the_task_page_offers_only_the_commands_one_may_perform(pp: People) -> None:
    task = assign(pp)
    lead = body(client_for(pp.head).get(url("task_detail", task)))
    assert url("task_accept", task) in lead and url("task_refuse", task) in lead
    assert url("task_cancel", task) not in lead
    boss = body(client_for(pp.boss).get(url("task_detail", task)))
    assert url("task_cancel", task) in boss  # the assigner; as head above Sở A, boss may
    # also act for the lead unit (task.handle over the whole subtree)
    officer = body(client_for(pp.officer).get(url("task_detail", task)))
    assert url("task_accept", task) not in officer  # the unit accepts, not its officer
    assert 'id="task-actions"' not in body(client_for(pp.clerk).get(url("task_detail", task)))


def test_the_task_page_is_hidden_from_those_it_does_not_involve(pp: People) -> None:
    task = assign(pp)
    assert client_for(pp.outsider).get(url("task_detail", task)).status_code == 404
    assert client_for(pp.head_b).get(url("task_detail", task)).status_code == 404
    assert client_for(pp.officer).get(url("task_detail", task)).status_code == 200


def test_the_task_page_marks_an_overdue_silent_task(pp: People, time_machine: Any) -> None:
    task = assign(pp, deadline_rule=DeadlineRule.CALENDAR_DAYS, deadline_days=3)
    time_machine.move_to(dt.datetime.combine(task.deadline + dt.timedelta(days=9), dt.time(9)))
    page = body(client_for(pp.boss).get(url("task_detail", task)))
    assert "Đang thực hiện quá hạn" in page and "quá hạn 9 ngày" in page
    assert "Chưa cập nhật tiến độ" in page


# --------------------------------------------------------------------------------------------
# who may open each command page

# (page, how to get the task there, who may, who may not)
PAGES = [
    ("task_accept", assign, "head", "officer"),
    ("task_refuse", assign, "head", "clerk"),
    ("task_report", in_progress, "officer", "clerk"),
    ("task_submit", in_progress, "head", "clerk"),
    ("task_approve", submitted, "boss", "head"),
    ("task_return", submitted, "boss", "officer"),
    ("extension_request", in_progress, "officer", "head_b"),
    ("extension_decide", with_extension, "boss", "head"),
    ("task_cancel", assign, "boss", "head"),
    ("dispute_decide", disputed, "boss", "head_b"),
]


@pytest.mark.parametrize(("page", "setup", "allowed", "denied"), PAGES)
def test_each_command_page_opens_for_who_may_and_not_for_others(
    pp: People, page: str, setup: Any, allowed: str, denied: str
) -> None:
    task = setup(pp)
    assert client_for(getattr(pp, allowed)).get(url(page, task)).status_code == 200
    before = work_snapshot()
    refused = client_for(getattr(pp, denied))
    response = refused.get(url(page, task))
    # A page about a task one cannot even see is a 404; else the 403 page with the reason.
    assert response.status_code in (403, 404)
    if response.status_code == 403:
        assert "Không có quyền thực hiện" in body(response)
    assert refused.post(url(page, task), {"confirmed": "1", "reason": "x"}).status_code in (
        403,
        404,
    )
    assert work_snapshot() == before


def test_a_command_the_state_no_longer_allows_goes_back_to_the_task(pp: People) -> None:
    task = submitted(pp)
    client = client_for(pp.head)
    response = client.get(url("task_accept", task))
    assert response.status_code == 302 and response["Location"] == url("task_detail", task)
    page = body(client.get(response["Location"]))
    assert "Không thể tiếp nhận nhiệm vụ đang ở trạng thái “Chờ duyệt kết quả”." in page


# --------------------------------------------------------------------------------------------
# each command: success (state and one event), bad input (message at the field, nothing written)


def post_ok(person: Person, page: str, task: Task, data: dict[str, Any]) -> LedgerEvent:
    seq = last_seq()
    response = client_for(person).post(url(page, task), data)
    assert response.status_code == 302, body(response)
    assert response["Location"] == url("task_detail", task)
    return one_new_event(seq)


def post_bad(person: Person, page: str, task: Task, data: dict[str, Any], field: str) -> str:
    before = work_snapshot()
    response = client_for(person).post(url(page, task), data)
    assert response.status_code == 400
    assert work_snapshot() == before
    return field_error(response, field)


def test_accepting_asks_for_confirmation_then_accepts(pp: People) -> None:
    task = assign(pp)
    page = client_for(pp.head).get(url("task_accept", task))
    assert "Xác nhận tiếp nhận" in body(page)
    event = post_ok(pp.head, "task_accept", task, {"confirmed": "1"})
    assert event.action == "work.task.accepted"
    assert Task.objects.get().status == TaskStatus.IN_PROGRESS


def test_refusing_needs_a_reason_and_opens_a_dispute(pp: People) -> None:
    task = assign(pp)
    error = post_bad(pp.head, "task_refuse", task, {"proposed_unit": pp.dept_b.pk}, "reason")
    assert error == "Chưa nhập lý do từ chối."
    error = post_bad(
        pp.head, "task_refuse", task, {"reason": "Không đúng chức năng"}, "proposed_unit"
    )
    assert error == "Chưa chọn đơn vị đề xuất chủ trì."
    event = post_ok(
        pp.head,
        "task_refuse",
        task,
        {"reason": "Không đúng chức năng", "proposed_unit": pp.dept_b.pk},
    )
    assert event.action == "work.task.refused"
    task.refresh_from_db()
    assert task.status == TaskStatus.DISPUTED and task.bounce_count == 1
    assert task.lead_unit == pp.dept_a  # never ownerless while the dispute waits
    page = body(client_for(pp.boss).get(url("task_detail", task)))
    assert url("dispute_decide", task) in page and "Tranh chấp thẩm quyền" in page


def test_reporting_progress(pp: People) -> None:
    task = in_progress(pp)
    error = post_bad(pp.officer, "task_report", task, {"percent": "150", "text": "x"}, "percent")
    assert error == "Tiến độ phải từ 0 đến 100%."
    error = post_bad(pp.officer, "task_report", task, {"percent": "40", "text": ""}, "text")
    assert error == "Chưa nhập nội dung báo cáo."
    event = post_ok(
        pp.officer,
        "task_report",
        task,
        {"percent": "40", "text": "Đã rà soát 40 thủ tục", "blocker": "Thiếu số liệu quận"},
    )
    assert event.action == "work.task.progress_reported"
    task.refresh_from_db()
    assert task.percent == 40 and task.last_progress_at is not None
    page = body(client_for(pp.boss).get(url("task_detail", task)))
    assert "Đã rà soát 40 thủ tục" in page and "Thiếu số liệu quận" in page


def test_submitting_the_result(pp: People) -> None:
    task = in_progress(pp)
    event = post_ok(pp.officer, "task_submit", task, {"note": "Đã hoàn thành dự thảo"})
    assert (
        event.action == "work.task.submitted" and event.payload["note"] == "Đã hoàn thành dự thảo"
    )
    assert Task.objects.get().status == TaskStatus.SUBMITTED


def test_approving_with_grades(pp: People) -> None:
    task = submitted(pp)
    error = post_bad(
        pp.boss, "task_approve", task, {"effectiveness_grade": "high"}, "quality_grade"
    )
    assert error == "Chưa chọn mức chất lượng."
    event = post_ok(
        pp.boss,
        "task_approve",
        task,
        {"quality_grade": "good", "effectiveness_grade": "high", "note": "Đạt"},
    )
    assert event.action == "work.task.approved"
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED and task.quality_grade == "good"
    page = body(client_for(pp.head).get(url("task_detail", task)))
    assert "Hoàn thành đúng hạn" in page and "Tốt" in page and "Hiệu quả cao" in page


def test_returning_the_result(pp: People) -> None:
    task = submitted(pp)
    assert post_bad(pp.boss, "task_return", task, {"reason": " "}, "reason") == (
        "Chưa nhập lý do trả lại."
    )
    event = post_ok(pp.boss, "task_return", task, {"reason": "Thiếu phụ lục"})
    assert event.action == "work.task.returned"
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.return_count == 1


def test_requesting_an_extension(pp: People) -> None:
    task = in_progress(pp)
    earlier = task.deadline.strftime("%d/%m/%Y")
    error = post_bad(
        pp.officer,
        "extension_request",
        task,
        {"new_deadline": earlier, "reason": "Chờ số liệu"},
        "new_deadline",
    )
    assert error.startswith("Hạn đề nghị phải sau hạn hiện tại")
    later = task.deadline + dt.timedelta(days=7)
    event = post_ok(
        pp.officer,
        "extension_request",
        task,
        {"new_deadline": later.strftime("%d/%m/%Y"), "reason": "Chờ số liệu"},
    )
    assert event.action == "work.extension.requested"
    assert Extension.objects.get().new_deadline == later


def test_deciding_an_extension(pp: People) -> None:
    task = with_extension(pp)
    error = post_bad(pp.boss, "extension_decide", task, {"decision": "refuse"}, "note")
    assert error == "Chưa nhập lý do không đồng ý gia hạn."
    event = post_ok(pp.boss, "extension_decide", task, {"decision": "approve", "note": ""})
    assert event.action == "work.extension.approved"
    task.refresh_from_db()
    assert task.extension_count == 1
    assert Extension.objects.get().status == ExtensionStatus.APPROVED
    page = body(client_for(pp.boss).get(url("task_detail", task)))
    assert "Gia hạn (đã gia hạn 1 lần)" in page and "Chờ số liệu" in page


def test_cancelling_asks_for_a_reason_then_confirmation(pp: People) -> None:
    task = assign(pp)
    assert (
        post_bad(pp.boss, "task_cancel", task, {"reason": ""}, "reason") == "Chưa nhập lý do hủy."
    )
    before = work_snapshot()
    confirm = client_for(pp.boss).post(url("task_cancel", task), {"reason": "Không còn cần thiết"})
    assert confirm.status_code == 200 and "Xác nhận hủy" in body(confirm)
    assert work_snapshot() == before
    event = post_ok(
        pp.boss, "task_cancel", task, {"reason": "Không còn cần thiết", "confirmed": "1"}
    )
    assert event.action == "work.task.cancelled"
    assert Task.objects.get().status == TaskStatus.CANCELLED


def test_the_common_superiors_head_decides_the_dispute(pp: People) -> None:
    task = disputed(pp)
    page = body(client_for(pp.boss).get(url("dispute_decide", task)))
    assert "Không thuộc chức năng" in page and "Sở B" in page
    error = post_bad(pp.boss, "dispute_decide", task, {"unit": pp.dept_b.pk}, "reason")
    assert error == "Chưa nhập lý do quyết định."
    event = post_ok(
        pp.boss,
        "dispute_decide",
        task,
        {"unit": pp.dept_b.pk, "reason": "Thuộc chức năng quản lý của Sở B"},
    )
    assert event.action == "work.dispute.decided"
    task.refresh_from_db()
    assert task.lead_unit == pp.dept_b and task.status == TaskStatus.ASSIGNED
    assert task.officer is None
    assert Dispute.objects.get().decided_unit == pp.dept_b
    # The decided unit now sees the task and can accept it.
    lead_b = body(client_for(pp.head_b).get(url("task_detail", task)))
    assert url("task_accept", task) in lead_b
