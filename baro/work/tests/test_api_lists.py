"""GET /api/v1/work/tasks: the actor's scopes, the filters of the list pages, pagination, no
N+1 queries, and bad filters as a 400 JSON with a stable code."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from baro.core.paging import MAX_LIMIT
from baro.core.timeutil import today
from baro.testing.work import API, WorkWorld, assign, bearer
from baro.work import services

pytestmark = pytest.mark.django_db


def ids(body: dict[str, Any]) -> list[int]:
    return [item["id"] for item in body["items"]]


def test_scopes_give_each_actor_their_own_tasks(ww: WorkWorld) -> None:
    to_a = assign(ww, title="Việc Sở A")
    to_b = assign(ww, title="Việc Sở B", lead_unit=ww.dept_b)
    to_a1 = assign(ww, title="Việc Phòng A1", lead_unit=ww.div_a1, officer=ww.w.officer)
    city = bearer(ww.city_head)
    assert ids(city.get(f"{API}/tasks", {"scope": "assigned"}).json()) == sorted(
        [to_a.pk, to_b.pk, to_a1.pk]
    )
    assert sorted(ids(city.get(f"{API}/tasks", {"scope": "under"}).json())) == sorted(
        [to_a.pk, to_b.pk, to_a1.pk]
    )
    head_a = bearer(ww.w.head)
    assert sorted(ids(head_a.get(f"{API}/tasks", {"scope": "under"}).json())) == sorted(
        [to_a.pk, to_a1.pk]
    )
    assert ids(head_a.get(f"{API}/tasks", {"scope": "unit"}).json()) == [to_a.pk]
    officer = bearer(ww.w.officer)
    assert ids(officer.get(f"{API}/tasks").json()) == [to_a1.pk]  # "mine" by default
    assert bearer(ww.w.outsider).get(f"{API}/tasks", {"scope": "under"}).json()["count"] == 0


def test_items_are_the_same_task_serialisation_as_the_detail(ww: WorkWorld) -> None:
    task = assign(ww, officer=ww.w.officer)
    client = bearer(ww.city_head)
    item = client.get(f"{API}/tasks", {"scope": "assigned"}).json()["items"][0]
    detail = client.get(f"{API}/tasks/{task.pk}").json()
    assert {key: detail[key] for key in item} == item
    assert item["timing"] == "in_progress_on_time"
    assert item["timing_label"] == "Đang thực hiện trong hạn"


def test_filters_timing_text_status_and_deadline(ww: WorkWorld) -> None:
    soon = assign(ww, title="Báo cáo chuyển đổi số", deadline_rule="calendar_days", deadline_days=2)
    later = assign(ww, title="Rà soát thủ tục", deadline_rule="calendar_days", deadline_days=60)
    done = services.task_approve(
        actor=ww.city_head,
        task=services.task_submit(
            actor=ww.w.head, task=services.task_accept(actor=ww.w.head, task=later)
        ),
        quality_grade="good",
        effectiveness_grade="high",
    )
    client = bearer(ww.city_head)
    url = f"{API}/tasks"
    base = {"scope": "under"}
    assert ids(client.get(url, {**base, "timing": "completed_on_time"}).json()) == [done.pk]
    assert ids(client.get(url, {**base, "q": "chuyen doi so"}).json()) == [soon.pk]
    assert ids(client.get(url, {**base, "status": "assigned"}).json()) == [soon.pk]
    upto = str(today() + dt.timedelta(days=10))
    assert ids(client.get(url, {**base, "deadline_to": upto}).json()) == [soon.pk]
    assert ids(client.get(url, {**base, "unit": ww.dept_b.pk}).json()) == []
    with time_machine.travel(today() + dt.timedelta(days=30), tick=False):
        overdue = client.get(url, {**base, "timing": "in_progress_overdue"}).json()
        assert ids(overdue) == [soon.pk]
        assert overdue["items"][0]["timing"] == "in_progress_overdue"
        assert overdue["items"][0]["not_updated"] is True
        assert ids(client.get(url, {**base, "not_updated": "1"}).json()) == [soon.pk]


def test_pagination_and_page_size_limit(ww: WorkWorld) -> None:
    made = [assign(ww, title=f"Việc {n}").pk for n in range(5)]
    client = bearer(ww.city_head)
    first = client.get(f"{API}/tasks", {"scope": "assigned", "limit": "2"}).json()
    assert (first["count"], first["limit"], first["offset"]) == (5, 2, 0)
    last = client.get(f"{API}/tasks", {"scope": "assigned", "limit": "2", "offset": "4"}).json()
    assert len(first["items"]) == 2 and len(last["items"]) == 1
    windows = [
        ids(client.get(f"{API}/tasks", {"scope": "assigned", "limit": "2", "offset": n}).json())
        for n in ("0", "2", "4")
    ]
    assert sorted(pk for window in windows for pk in window) == sorted(made)
    huge = client.get(f"{API}/tasks", {"scope": "assigned", "limit": "5000"}).json()
    assert huge["limit"] == MAX_LIMIT
    past = client.get(f"{API}/tasks", {"scope": "assigned", "offset": str(2**63)}).json()
    assert (past["offset"], past["items"]) == (5, [])


def test_the_deprecated_page_and_page_size_still_page(ww: WorkWorld) -> None:
    made = [assign(ww, title=f"Việc {n}").pk for n in range(5)]
    client = bearer(ww.city_head)
    third = client.get(f"{API}/tasks", {"scope": "assigned", "page_size": "2", "page": "3"}).json()
    assert (third["count"], third["limit"], third["offset"]) == (5, 2, 4)
    pages = [
        ids(client.get(f"{API}/tasks", {"scope": "assigned", "page_size": "2", "page": n}).json())
        for n in ("1", "2", "3")
    ]
    assert sorted(pk for page in pages for pk in page) == sorted(made)
    assert "pages" not in third and "page" not in third


def test_the_list_costs_the_same_queries_for_2_or_40_tasks(
    ww: WorkWorld, django_assert_max_num_queries: Any
) -> None:
    client = bearer(ww.city_head)
    for n in range(2):
        assign(ww, title=f"Việc {n}", officer=ww.w.officer, lead_unit=ww.div_a1)
    with django_assert_max_num_queries(12) as few:
        assert client.get(f"{API}/tasks", {"scope": "under"}).json()["count"] == 2
    for n in range(38):
        assign(ww, title=f"Việc thêm {n}", officer=ww.w.officer, lead_unit=ww.div_a1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{API}/tasks", {"scope": "under"}).json()["count"] == 40


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"timing": "late"}, "work.bad_filter", "timing"),
        ({"status": "done"}, "work.bad_filter", "status"),
        ({"deadline_from": "31/02/2026"}, "work.bad_filter", "deadline_from"),
        ({"unit": "abc"}, "work.bad_filter", "unit"),
        ({"officer": str(2**63)}, "work.bad_filter", "officer"),  # past 64 bits: no such row
        ({"directive_id": str(2**63)}, "work.bad_filter", "directive_id"),
        ({"not_updated": "maybe"}, "work.bad_filter", "not_updated"),
        ({"scope": "everything"}, "work.bad_scope", "scope"),
    ],
)
def test_bad_filters_are_400_with_the_field(
    ww: WorkWorld, params: dict[str, str], code: str, field: str
) -> None:
    response = bearer(ww.city_head).get(f"{API}/tasks", params)
    assert response.status_code == 400, response.content
    assert (response.json()["code"], response.json()["field"]) == (code, field)


def test_a_page_that_is_not_a_number_is_422(ww: WorkWorld) -> None:
    response = bearer(ww.city_head).get(f"{API}/tasks", {"page": "two"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_the_list_is_in_the_openapi_document_with_its_filters(ww: WorkWorld) -> None:
    paths = bearer(ww.city_head).get("/api/v1/openapi.json").json()["paths"]
    operation = paths["/api/v1/work/tasks"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"scope", "timing", "not_updated", "q", "limit", "offset", "unit"} <= names
    assert {"page", "page_size"} <= names  # deprecated, still read
