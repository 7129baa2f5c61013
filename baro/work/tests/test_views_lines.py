"""The assignment lines page (/nhiem-vu/tuyen-giao/) through Django's test client: everyone
signed in reads the matrix; only those assignment_line_set accepts (an administrator over a
root unit) are offered a change and may make one, after a confirmation, with errors next to the
field, nothing written on refusal and one ledger event per change, shown in the history."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from baro.org.models import Person, UnitSystem
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.work import WorkWorld
from baro.work.models import AssignmentLine, LineReach

pytestmark = pytest.mark.django_db

LINES_URL = reverse("work:lines")
G, F = UnitSystem.GOVERNMENT, UnitSystem.FRONT
EDIT_URL = reverse("work:line_edit", args=[G, F])
NOTE = "Thí điểm theo quyết định của Thành phố"


def client_for(person: Person) -> Client:
    """A signed-in browser for `person` (test arrangement: the `ww` personas have no account)."""
    if person.user is None:
        user = get_user_model().objects.create(username=f"u{person.pk}")
        Person.objects.filter(pk=person.pk).update(user=user)
        person.refresh_from_db()
    assert person.user is not None
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def nav_keys(response: Any) -> list[str]:
    return [item["key"] for item in response.context["nav"]]


def rows() -> list[Any]:
    return list(AssignmentLine.objects.order_by("pk").values())


def line(assigner: str = G, lead: str = F) -> tuple[str, str]:
    row = AssignmentLine.objects.get(assigner_system=assigner, lead_system=lead)
    return row.reach, row.note


def test_anonymous_visitors_go_to_login(ww: WorkWorld) -> None:
    response = Client().get(LINES_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["officer", "city_head"])
def test_anyone_signed_in_reads_the_lines_but_only_an_administrator_is_offered_a_change(
    ww: WorkWorld, who: str
) -> None:
    person = ww.w.officer if who == "officer" else ww.city_head
    response = client_for(person).get(LINES_URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tuyến giao nhiệm vụ" in body
    assert "Cơ quan nhà nước" in body and "Mặt trận Tổ quốc" in body
    assert "Cơ quan nhà nước chỉ đạo cơ quan nhà nước cấp dưới." in body
    assert 'id="line-government-front" data-reach=""' in body
    assert EDIT_URL not in body and "Sửa tuyến" not in body
    assert response.context["can_manage"] is False
    assert "lines" not in nav_keys(response)
    assert client_for(person).get(EDIT_URL).status_code == 403


def test_the_admin_is_offered_every_change_and_the_navigation_entry(ww: WorkWorld) -> None:
    response = client_for(ww.w.admin).get(LINES_URL)
    body = response.content.decode()
    assert response.context["can_manage"] is True
    assert EDIT_URL in body
    assert body.count("Sửa tuyến") == len(UnitSystem.values) ** 2
    assert "lines" in nav_keys(response)
    edit = client_for(ww.w.admin).get(EDIT_URL)
    assert edit.status_code == 200
    assert "Điều chỉnh tuyến Cơ quan nhà nước → Mặt trận Tổ quốc" in edit.content.decode()


@pytest.mark.parametrize("who", ["officer", "city_head"])
def test_a_change_by_someone_else_is_refused_and_writes_nothing(ww: WorkWorld, who: str) -> None:
    person = ww.w.officer if who == "officer" else ww.city_head
    before, seq = rows(), last_seq()
    response = client_for(person).post(
        EDIT_URL, {"reach": LineReach.BELOW, "note": NOTE, "confirmed": "1"}
    )
    assert response.status_code == 403
    assert "không có quyền thay đổi tuyến giao nhiệm vụ" in response.content.decode()
    assert rows() == before and last_seq() == seq


def test_the_admin_confirms_before_the_line_changes(ww: WorkWorld) -> None:
    client = client_for(ww.w.admin)
    before, seq = rows(), last_seq()
    response = client.post(EDIT_URL, {"reach": LineReach.BELOW, "note": NOTE})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Xác nhận điều chỉnh tuyến Cơ quan nhà nước → Mặt trận Tổ quốc" in body
    assert "<del>Không được giao chủ trì</del>" in body
    assert "<ins>Đơn vị cấp dưới</ins>" in body and f"<ins>{NOTE}</ins>" in body
    assert rows() == before and last_seq() == seq  # nothing yet

    response = client.post(
        EDIT_URL, {"reach": LineReach.BELOW, "note": NOTE, "confirmed": "1"}, follow=True
    )
    event = one_new_event(seq)
    assert event.action == "work.assignment_line.set"
    assert event.payload["after"] == {"reach": "below", "note": NOTE}
    assert line() == (LineReach.BELOW, NOTE)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == f"{LINES_URL}#line-government-front"
    assert "Đã điều chỉnh tuyến Cơ quan nhà nước → Mặt trận Tổ quốc: Đơn vị cấp dưới." in body
    assert 'id="line-government-front" data-reach="below"' in body
    # The history reads it: the action's label, who, and the line before → after.
    history = body[body.index('id="history"') :]
    assert "Điều chỉnh tuyến giao nhiệm vụ" in history and ww.w.admin.full_name in history
    assert (
        "Cơ quan nhà nước → Mặt trận Tổ quốc, phạm vi: <del>Không được giao chủ trì</del> → "
        "<ins>Đơn vị cấp dưới</ins>"
    ) in history


def test_back_to_editing_from_the_confirmation_keeps_the_values(ww: WorkWorld) -> None:
    seq = last_seq()
    response = client_for(ww.w.admin).post(
        EDIT_URL, {"reach": LineReach.LEVEL, "note": NOTE, "confirmed": "1", "edit": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"]["reach"].value() == LineReach.LEVEL
    assert response.context["form"]["note"].value() == NOTE
    assert last_seq() == seq


def test_a_bad_reach_is_refused_next_to_the_field_and_writes_nothing(ww: WorkWorld) -> None:
    before, seq = rows(), last_seq()
    response = client_for(ww.w.admin).post(
        EDIT_URL, {"reach": "everywhere", "note": NOTE, "confirmed": "1"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    field = body[body.index('id="field-reach"') :]
    field = field[: field.index("</div>")]
    assert "Phạm vi “everywhere” không hợp lệ." in field
    assert rows() == before and last_seq() == seq


def test_an_unchanged_line_is_refused_by_the_command_and_writes_nothing(ww: WorkWorld) -> None:
    reach, note = line(G, G)
    before, seq = rows(), last_seq()
    response = client_for(ww.w.admin).post(
        reverse("work:line_edit", args=[G, G]), {"reach": reach, "note": f"  {note} "}
    )
    assert response.status_code == 400
    assert "Tuyến giao nhiệm vụ không thay đổi." in response.content.decode()
    assert rows() == before and last_seq() == seq


def test_an_unknown_pair_of_systems_is_not_found(ww: WorkWorld) -> None:
    response = client_for(ww.w.admin).get(reverse("work:line_edit", args=["army", F]))
    assert response.status_code == 404


def test_the_assign_form_links_the_lines(ww: WorkWorld) -> None:
    response = client_for(ww.city_head).get(reverse("work:task_assign"))
    assert response.status_code == 200
    assert f'href="{LINES_URL}"' in response.content.decode()
