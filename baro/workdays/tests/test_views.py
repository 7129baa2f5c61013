"""The working-day calendar page through Django's test client: everyone signed in reads it and
checks deadlines; only holders of calendar.manage over a root change it, with errors next to the
field, nothing written on refusal and one ledger event per change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from baro.core.timeutil import today
from baro.org.authority import Power
from baro.org.models import Person
from baro.testing.factories import DelegationFactory
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.org import World
from baro.testing.workdays import snapshot
from baro.workdays import calendar
from baro.workdays.models import CalendarOverride, OverrideKind
from baro.workdays.services import calendar_override_set

pytestmark = pytest.mark.django_db

D = dt.date
SATURDAY = D(2026, 10, 10)  # an ordinary Saturday
MONDAY = D(2026, 10, 12)  # an ordinary Monday
YEAR_URL = reverse("workdays:year")
ADD_WORKING = reverse("workdays:add_working_day")
ADD_HOLIDAY = reverse("workdays:add_holiday")


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def nav_keys(response: Any) -> list[str]:
    return [item["key"] for item in response.context["nav"]]


def compensatory_saturday(world: World, **kwargs: Any) -> CalendarOverride:
    return calendar_override_set(
        actor=world.admin,
        day=kwargs.pop("day", SATURDAY),
        kind=kwargs.pop("kind", OverrideKind.WORKING_DAY),
        reason=kwargs.pop("reason", "Làm bù cho ngày 12/10/2026"),
        decision_ref=kwargs.pop("decision_ref", "Thông báo số 123/TB-UBND"),
    )


def remove_url(override: CalendarOverride) -> str:
    return reverse("workdays:override_remove", args=[override.pk])


# --------------------------------------------------------------------------------------------
# reading


def test_it_sends_anonymous_visitors_to_login(world: World) -> None:
    response = Client().get(YEAR_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_officer_reads_the_year_but_is_offered_no_change(world: World) -> None:
    response = client_for(world.officer).get(YEAR_URL, {"year": 2026})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lịch làm việc năm 2026" in body
    assert "02/09/2026" in body and "Quốc khánh" in body
    assert "Nghỉ lễ, Tết theo Bộ luật Lao động" in body
    assert ADD_WORKING not in body and ADD_HOLIDAY not in body
    assert "calendar" not in nav_keys(response)
    # 261 Mondays to Fridays in 2026, 13 of them off, 1 swapped Saturday worked (22/08)
    figures = ("working_day_count", "off_count", "extra_working_count")
    assert [response.context[name] for name in figures] == [249, 13, 1]


def test_the_admin_is_offered_the_changes_and_the_navigation_entry(world: World) -> None:
    response = client_for(world.admin).get(YEAR_URL)
    body = response.content.decode()
    assert response.context["year"] == today().year
    assert ADD_WORKING in body and ADD_HOLIDAY in body
    assert "Thêm ngày làm việc bù" in body
    assert "calendar" in nav_keys(response)


def test_a_delegation_of_calendar_manage_over_the_root_counts_like_the_service(
    world: World,
) -> None:
    DelegationFactory(
        delegator=world.admin,
        delegate=world.officer,
        unit=world.root,
        powers=[Power.CALENDAR_MANAGE],
    )
    assert "calendar" in nav_keys(client_for(world.officer).get(YEAR_URL))
    # over a department only: the calendar reaches every tree, so the service refuses it
    DelegationFactory(
        delegator=world.admin,
        delegate=world.head,
        unit=world.dept_a,
        powers=[Power.CALENDAR_MANAGE],
    )
    client = client_for(world.head)
    assert "calendar" not in nav_keys(client.get(YEAR_URL))
    assert client.get(ADD_WORKING).status_code == 403


def test_the_year_lists_the_governments_swapped_days_with_their_source(world: World) -> None:
    response = client_for(world.officer).get(YEAR_URL, {"year": 2025})
    rows = {item["row"].day: item for item in response.context["rows"]}
    swapped_off, swapped_on = rows[D(2025, 5, 2)], rows[D(2025, 4, 26)]
    assert swapped_off["row"].name == "Ngày nghỉ (thay cho ngày 26/04/2025)"
    assert not swapped_off["row"].is_working
    assert swapped_off["source_label"] == "Hoán đổi ngày làm việc của Chính phủ"
    assert swapped_on["row"].is_working
    assert swapped_on["source_label"] == "Hoán đổi ngày làm việc của Chính phủ"
    assert rows[D(2025, 9, 2)]["source_label"] == "Nghỉ lễ, Tết theo Bộ luật Lao động"
    body = response.content.decode()
    assert "26/04/2025" in body and "Thứ Bảy" in body


def test_a_wrong_year_falls_back_to_this_year(world: World) -> None:
    client = client_for(world.officer)
    for wrong in ("abc", "1200", ""):
        response = client.get(YEAR_URL, {"year": wrong})
        assert response.status_code == 200
        assert response.context["year"] == today().year


def test_the_deadline_helper_skips_tet(world: World) -> None:
    # Friday 13/02/2026, then Tết from 16 to 20/02: one working day later is Monday 23/02.
    response = client_for(world.officer).get(
        YEAR_URL, {"year": 2026, "start": "13/02/2026", "days": "1"}
    )
    assert response.status_code == 200
    assert response.context["deadline"]["deadline"] == D(2026, 2, 23)
    assert "hạn là Thứ Hai 23/02/2026" in response.content.decode()


def test_the_deadline_helper_explains_bad_input_next_to_the_field(world: World) -> None:
    response = client_for(world.officer).get(YEAR_URL, {"start": "31/02/2026", "days": "-1"})
    assert response.status_code == 400
    errors = response.context["deadline_form"].errors
    assert "dd/mm/yyyy" in errors["start"][0]
    assert errors["days"] == ["Số ngày làm việc không được âm."]
    assert response.context["deadline"] is None


def test_the_page_speaks_english_once_the_person_switches(world: World) -> None:
    client = client_for(world.admin)
    client.post(reverse("set_language"), {"language": "en", "next": YEAR_URL})
    response = client.get(YEAR_URL, {"year": 2026})
    body = response.content.decode()
    assert "Working calendar 2026" in body
    assert "Add a compensatory working day" in body


# --------------------------------------------------------------------------------------------
# who may change


@pytest.mark.parametrize("persona", ["officer", "head", "deputy"])
def test_those_without_the_power_get_the_vietnamese_403_and_nothing_is_written(
    world: World, persona: str
) -> None:
    override = compensatory_saturday(world)
    client = client_for(getattr(world, persona))
    before = snapshot()
    assert client.get(ADD_WORKING).status_code == 403
    response = client.post(ADD_HOLIDAY, {"day": "13/10/2026", "reason": "Nghỉ", "decision_ref": ""})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Không có quyền thực hiện" in body
    assert "Quản lý lịch làm việc" in body  # the service's reason
    assert client.get(remove_url(override)).status_code == 403
    assert client.post(remove_url(override), {"reason": "Nhầm"}).status_code == 403
    assert snapshot() == before


def test_an_unknown_override_is_not_found(world: World) -> None:
    response = client_for(world.admin).get(reverse("workdays:override_remove", args=[999]))
    assert response.status_code == 404


# --------------------------------------------------------------------------------------------
# adding


def test_the_admin_adds_a_compensatory_working_saturday_with_one_event(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.admin)
    seq = last_seq()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            ADD_WORKING,
            {
                "day": "10/10/2026",
                "reason": "Làm bù cho ngày 12/10/2026",
                "decision_ref": "Thông báo số 123/TB-UBND",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == f"{YEAR_URL}?year=2026"
    override = CalendarOverride.objects.get(day=SATURDAY, revoked_at__isnull=True)
    assert (override.kind, override.set_by) == (OverrideKind.WORKING_DAY, world.admin)
    event = one_new_event(seq)
    assert (event.action, event.object_id) == ("workdays.override.set", str(override.pk))
    assert calendar.is_working_day(SATURDAY)

    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Đã thêm ngày làm việc bù Thứ Bảy 10/10/2026." in body
    assert "Ngày làm việc bù: Làm bù cho ngày 12/10/2026" in body
    assert "Điều chỉnh của quản trị viên" in body
    assert remove_url(override) in body
    assert page.context["history"] == [override]


def test_a_delegate_adds_a_day_off_on_behalf_of_the_admin(world: World) -> None:
    DelegationFactory(
        delegator=world.admin,
        delegate=world.officer,
        unit=world.root,
        powers=[Power.CALENDAR_MANAGE],
    )
    seq = last_seq()
    response = client_for(world.officer).post(
        ADD_HOLIDAY, {"day": "12/10/2026", "reason": "Nghỉ theo quyết định của Thủ tướng"}
    )
    assert response.status_code == 302
    event = one_new_event(seq)
    assert event.action == "workdays.override.set"
    assert event.on_behalf_of == world.admin.ledger_ref


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        (
            ADD_WORKING,
            {"day": "12/10/2026", "reason": "Làm bù"},
            "day",
            "Ngày Thứ Hai 12/10/2026 đã là ngày làm việc; không cần đặt làm ngày làm việc bù.",
        ),
        (
            ADD_HOLIDAY,
            {"day": "11/10/2026", "reason": "Nghỉ"},
            "day",
            "Ngày Chủ nhật 11/10/2026 đã là ngày nghỉ (nghỉ cuối tuần); "
            "không cần đặt thêm ngày nghỉ.",
        ),
        (ADD_WORKING, {"day": "10/10/2026", "reason": "   "}, "reason", "Chưa nhập lý do."),
        (ADD_WORKING, {"day": "", "reason": "Làm bù"}, "day", "Chưa nhập ngày."),
        (
            ADD_WORKING,
            {"day": "31/02/2026", "reason": "Làm bù"},
            "day",
            "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.",
        ),
        (
            ADD_WORKING,
            {"day": "10/10/2026", "reason": "x" * 256},
            "reason",
            "Lý do dài quá 255 ký tự.",
        ),
    ],
)
def test_a_refused_change_shows_the_error_next_to_the_field_and_writes_nothing(
    world: World, url: str, data: dict[str, str], field: str, message: str
) -> None:
    client = client_for(world.admin)
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    body = response.content.decode()
    assert 'id="field-' + field + '"' in body and "field--error" in body
    assert snapshot() == before


def test_a_second_override_on_the_same_day_is_refused_next_to_the_day(world: World) -> None:
    compensatory_saturday(world)
    client = client_for(world.admin)
    before = snapshot()
    response = client.post(ADD_WORKING, {"day": "10/10/2026", "reason": "Lần nữa"})
    assert response.status_code == 400
    assert "Hãy gỡ điều chỉnh đó trước." in response.context["form"].errors["day"][0]
    assert snapshot() == before


# --------------------------------------------------------------------------------------------
# removing


def test_removing_asks_for_confirmation_and_a_reason_first(world: World) -> None:
    override = compensatory_saturday(world)
    client = client_for(world.admin)
    page = client.get(remove_url(override))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Gỡ bỏ điều chỉnh lịch làm việc" in body
    assert "Thứ Bảy 10/10/2026" in body and "Thông báo số 123/TB-UBND" in body
    assert "Ngày này sẽ lại là ngày nghỉ (Thứ Bảy)" in body
    before = snapshot()
    response = client.post(remove_url(override), {"reason": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Chưa nhập lý do gỡ bỏ."]
    assert snapshot() == before


def test_the_admin_removes_an_override_with_one_event_and_it_stays_in_the_history(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    override = compensatory_saturday(world)
    client = client_for(world.admin)
    seq = last_seq()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_url(override), {"reason": "Thành phố hủy kế hoạch làm bù"})
    assert response.status_code == 302
    assert response["Location"] == f"{YEAR_URL}?year=2026"
    override.refresh_from_db()
    assert (override.revoked_by, override.revoke_reason) == (
        world.admin,
        "Thành phố hủy kế hoạch làm bù",
    )
    assert one_new_event(seq).action == "workdays.override.removed"
    assert not calendar.is_working_day(SATURDAY)

    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Đã gỡ bỏ điều chỉnh ngày Thứ Bảy 10/10/2026" in body
    assert not any(item["row"].day == SATURDAY for item in page.context["rows"])
    assert "đã gỡ bỏ" in body and "Thành phố hủy kế hoạch làm bù" in body
    assert remove_url(override) not in body

    again = client.get(remove_url(override))  # a stale link: nothing left to remove
    assert again.status_code == 302
    assert one_new_event(seq).action == "workdays.override.removed"
