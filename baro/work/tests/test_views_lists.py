"""The task list page (/nhiem-vu/) through Django's test client: tabs, filters, counts, pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baro.org.models import Person
from baro.testing.work import WorkWorld, assign, row
from baro.work.models import Task, TaskStatus
from baro.work.rules import TimingStatus

pytestmark = pytest.mark.django_db


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def titles(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', body)


@pytest.fixture
def tasks(ww: WorkWorld) -> dict[str, Task]:
    """Sở A's tasks: one overdue without news, one on time for the officer, one done late."""
    return {
        "overdue": row(ww, title="Đề án chuyển đổi số", deadline=dt.date(2026, 1, 31)),
        "open": row(
            ww,
            title="Báo cáo quý IV",
            lead_unit=ww.div_a1,
            officer=ww.w.officer,
            assigned_on=dt.date(2026, 11, 20),
            deadline=dt.date(2026, 12, 31),
        ),
        "late": row(
            ww,
            title="Rà soát thủ tục",
            status=TaskStatus.COMPLETED,
            deadline=dt.date(2026, 2, 28),
            completed_on=dt.date(2026, 3, 5),
        ),
    }


def test_it_sends_anonymous_visitors_to_login(db: None) -> None:
    response = Client().get(reverse("work:task_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_officer_sees_own_tabs_and_own_task(ww: WorkWorld, tasks: dict[str, Task]) -> None:
    response = client_for(ww.w.officer).get(reverse("work:task_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Việc của tôi" in html and "Việc của đơn vị" in html
    assert "Toàn bộ đơn vị cấp dưới" not in html and "Việc tôi đã giao" not in html
    assert titles(html) == ["Báo cáo quý IV"]
    assert (
        f'href="/nhiem-vu/{tasks["open"].pk}/"' in html
        or reverse("work:task_detail", args=[tasks["open"].pk]) in html
    )


def test_leader_sees_everything_under_with_counts_and_both_rates(
    ww: WorkWorld, tasks: dict[str, Task]
) -> None:
    response = client_for(ww.w.head).get(reverse("work:task_list"), {"scope": "under"})
    html = response.content.decode()
    assert titles(html) == ["Đề án chuyển đổi số", "Rà soát thủ tục", "Báo cáo quý IV"]
    for label in TimingStatus.labels[:4]:
        assert str(label) in html
    counts = dict(
        re.findall(
            r'timing-cell--([a-z_]+)[^"\-]*">\s*<a[^>]*>\s*<span class="stat__value">(\d+)</span>',
            html,
        )
    )
    assert counts == {
        "in_progress_on_time": "1",
        "in_progress_overdue": "1",
        "completed_on_time": "0",
        "completed_late": "1",
    }
    assert "Tỷ lệ hoàn thành đúng hạn trên số nhiệm vụ đến hạn" in html
    assert "Tỷ lệ hoàn thành đúng hạn trên tổng số nhiệm vụ" in html
    assert 'data-rate="due">0,00%' in html


def cell_counts(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'timing-cell--([a-z_]+)[^"\-]*">\s*<a[^>]*>\s*<span class="stat__value">(\d+)</span>',
            html,
        )
    )


def test_a_big_list_caps_its_count_and_loads_its_grid_after_the_page(
    ww: WorkWorld, tasks: dict[str, Task], settings: Any
) -> None:
    settings.BARO_LIST_COUNT_CAP = 2
    settings.BARO_PAGE_SIZE = 2
    client = client_for(ww.w.head)
    response = client.get(reverse("work:task_list"), {"scope": "under"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "hơn 2 nhiệm vụ" in html
    assert titles(html) == ["Đề án chuyển đổi số", "Rà soát thủ tục"]
    assert cell_counts(html) == {}  # not counted with the page
    grid_url = reverse("work:task_counts") + "?scope=under"
    assert f'hx-get="{grid_url}"' in html and 'hx-trigger="load"' in html
    # what htmx fetches: the grid alone, exact, with links back to the list
    fragment = client.get(grid_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert cell_counts(fragment) == {
        "in_progress_on_time": "1",
        "in_progress_overdue": "1",
        "completed_on_time": "0",
        "completed_late": "1",
    }
    assert f'href="{reverse("work:task_list")}?scope=under&amp;timing=' in fragment
    # without JavaScript the link opens the same grid as a page
    page = client.get(grid_url).content.decode()
    assert "<html" in page and cell_counts(page) == cell_counts(fragment)
    # the last page a capped list reaches says how to go further
    last = client.get(reverse("work:task_list"), {"scope": "under", "page": "2"}).content.decode()
    assert titles(last) == ["Báo cáo quý IV"]
    assert "hãy lọc thêm hoặc xuất Excel" in last


def test_a_small_list_counts_exactly_with_the_page(ww: WorkWorld, tasks: dict[str, Task]) -> None:
    html = client_for(ww.w.head).get(reverse("work:task_list"), {"scope": "under"}).content
    assert "3 nhiệm vụ" in html.decode() and "hơn" not in html.decode().split("</h1>")[1][:200]
    assert "hx-trigger" not in html.decode()


def test_filter_by_timing_status_and_text(ww: WorkWorld, tasks: dict[str, Task]) -> None:
    client = client_for(ww.w.head)
    overdue = client.get(
        reverse("work:task_list"), {"scope": "under", "timing": "in_progress_overdue"}
    )
    assert titles(overdue.content.decode()) == ["Đề án chuyển đổi số"]
    found = client.get(reverse("work:task_list"), {"scope": "under", "text": "RA SOAT"})
    assert titles(found.content.decode()) == ["Rà soát thủ tục"]


def test_bad_filter_is_shown_next_to_its_field(ww: WorkWorld, tasks: dict[str, Task]) -> None:
    response = client_for(ww.w.head).get(
        reverse("work:task_list"), {"scope": "under", "deadline_from": "32/13/2026"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    field = html.split('id="f-from"', 1)[1].split("</div>", 1)[0]
    assert "Hạn từ ngày không hợp lệ" in field
    assert len(titles(html)) == 3  # the list itself is shown unfiltered


def test_a_scope_not_offered_falls_back_to_my_tasks(ww: WorkWorld, tasks: dict[str, Task]) -> None:
    response = client_for(ww.w.officer).get(reverse("work:task_list"), {"scope": "under"})
    assert titles(response.content.decode()) == ["Báo cáo quý IV"]


def test_outsider_sees_none_of_them(ww: WorkWorld, tasks: dict[str, Task]) -> None:
    response = client_for(ww.w.outsider).get(reverse("work:task_list"), {"scope": "under"})
    assert titles(response.content.decode()) == []


def test_pages_hold_the_page_size_and_the_query_count_stays_flat(
    ww: WorkWorld, settings: Any
) -> None:
    settings.BARO_PAGE_SIZE = 5
    client = client_for(ww.w.head)
    client.get(reverse("work:task_list"))  # warm the session

    def queries_for_first_page() -> int:
        with CaptureQueriesContext(connection) as context:
            client.get(reverse("work:task_list"), {"scope": "under"})
        return len(context)

    assign(ww, title="Nhiệm vụ đầu", officer=ww.w.officer)
    with_one = queries_for_first_page()
    for number in range(11):
        assign(ww, title=f"Nhiệm vụ {number:02d}", officer=ww.w.officer)
    assert queries_for_first_page() == with_one  # no query per row
    first = client.get(reverse("work:task_list"), {"scope": "under"})
    html = first.content.decode()
    assert len(titles(html)) == 5
    assert "Trang 1/3" in html
    third = client.get(reverse("work:task_list"), {"scope": "under", "page": "3"})
    assert len(titles(third.content.decode())) == 2


def test_nav_has_the_task_list(ww: WorkWorld) -> None:
    html = client_for(ww.w.officer).get(reverse("home")).content.decode()
    assert f'href="{reverse("work:task_list")}"' in html


def test_the_default_tab_is_my_tasks_when_i_have_some_else_the_broadest(
    ww: WorkWorld, tasks: dict[str, Task]
) -> None:
    def current_tab(person: Person) -> str:
        html = client_for(person).get(reverse("work:task_list")).content.decode()
        return re.findall(r'\?scope=([a-z]+)[^"]*" aria-current="page"', html)[0]

    assert current_tab(ww.w.officer) == "mine"  # the officer of "Báo cáo quý IV"
    # The city's administrator handles none of these: lands on everything under the city.
    assert current_tab(ww.w.admin) == "under"
