"""Registry pages through Django's test client: who may see and change what, and form errors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from baro.ledger.models import LedgerEvent
from baro.org.models import Person, Position, Role, Unit
from baro.testing.org import World, registry_snapshot

pytestmark = pytest.mark.django_db


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def test_it_sends_anonymous_visitors_to_login(world: World) -> None:
    response = Client().get(reverse("org:unit_detail", args=[world.dept_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_admin_sees_the_unit_page_with_head_people_and_history(world: World) -> None:
    response = client_for(world.admin).get(reverse("org:unit_detail", args=[world.dept_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trưởng Sở A" in body
    assert "Phòng A1" in body  # a child unit
    assert "Thành phố Hà Nội" in body  # breadcrumbs
    assert "Lịch sử thay đổi" in body


def test_it_shows_a_vacant_head(world: World) -> None:
    response = client_for(world.admin).get(reverse("org:unit_detail", args=[world.dept_b.pk]))
    assert "Khuyết người đứng đầu" in response.content.decode()


def test_it_hides_units_of_another_tree_from_the_outsider(world: World) -> None:
    client = client_for(world.outsider)
    assert client.get(reverse("org:unit_detail", args=[world.dept_a.pk])).status_code == 404
    assert client.get(reverse("org:unit_create", args=[world.dept_a.pk])).status_code == 404
    assert client.get(reverse("org:unit_children", args=[world.root.pk])).status_code == 404


def test_it_refuses_the_registry_to_an_officer_in_vietnamese(world: World) -> None:
    response = client_for(world.officer).get(reverse("org:unit_list"))
    assert response.status_code == 403
    assert "không có quyền" in response.content.decode()


def test_a_head_may_view_but_not_change_the_registry(world: World) -> None:
    client = client_for(world.head)
    assert client.get(reverse("org:unit_detail", args=[world.dept_a.pk])).status_code == 200
    before = registry_snapshot()
    response = client.post(
        reverse("org:unit_create", args=[world.dept_a.pk]),
        {"code": "PHONG-A2", "name": "Phòng A2", "kind": "division"},
    )
    assert response.status_code == 403
    assert "Không có quyền thực hiện" in response.content.decode()
    assert registry_snapshot() == before


def test_unit_list_searches_and_paginates(world: World) -> None:
    client = client_for(world.admin)
    response = client.get(reverse("org:unit_list"), {"q": "Sở"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sở A" in body and "Sở B" in body
    assert "Phòng A1" not in body
    assert "Hải Phòng" not in client.get(reverse("org:unit_list")).content.decode()


def test_adding_a_child_unit_records_one_event(world: World) -> None:
    events_before = LedgerEvent.objects.count()
    response = client_for(world.admin).post(
        reverse("org:unit_create", args=[world.dept_a.pk]),
        {"code": "PHONG-A2", "name": "Phòng A2", "kind": "division", "valid_from": ""},
    )
    unit = Unit.objects.get(code="PHONG-A2")
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit_detail", args=[unit.pk])
    assert unit.parent == world.dept_a
    assert LedgerEvent.objects.count() == events_before + 1


def test_a_duplicate_code_shows_the_error_next_to_the_field_and_changes_nothing(
    world: World,
) -> None:
    client = client_for(world.admin)
    before = registry_snapshot()
    response = client.post(
        reverse("org:unit_create", args=[world.dept_a.pk]),
        {"code": "SO-B", "name": "Trùng mã", "kind": "division"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == ["Mã đơn vị “SO-B” đã được dùng."]
    assert registry_snapshot() == before


def test_a_bad_date_is_explained_in_vietnamese(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("org:unit_create", args=[world.dept_a.pk]),
        {"code": "PHONG-A3", "name": "Phòng A3", "kind": "division", "valid_from": "31/02/2026"},
    )
    assert response.status_code == 400
    assert "dd/mm/yyyy" in response.context["form"].errors["valid_from"][0]


def test_appointing_a_head_through_the_page(world: World, new_person: Person) -> None:
    client = client_for(world.admin)
    response = client.post(
        reverse("org:head_replace", args=[world.dept_b.pk]),
        {"person": new_person.code, "title": "Giám đốc Sở", "on": "", "decision_ref": ""},
    )
    assert response.status_code == 302
    page = client.get(reverse("org:unit_detail", args=[world.dept_b.pk])).content.decode()
    assert "Người Mới" in page
    assert "org.unit.head_replaced" in page


def test_an_unknown_person_code_is_a_field_error(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("org:head_replace", args=[world.dept_b.pk]), {"person": "KHONG-CO"}
    )
    assert response.status_code == 400
    assert "KHONG-CO" in response.context["form"].errors["person"][0]


def test_closing_a_unit_asks_for_confirmation_first(world: World) -> None:
    client = client_for(world.admin)
    url = reverse("org:unit_close", args=[world.dept_b.pk])
    data = {"on": "01/07/2030", "kind": "dissolved", "successor": "", "decision_ref": "QĐ 1"}
    before = registry_snapshot()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Xác nhận giải thể" in response.content.decode()
    assert registry_snapshot() == before
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    world.dept_b.refresh_from_db()
    assert world.dept_b.valid_to is not None
    assert world.dept_b.valid_to.isoformat() == "2030-07-01"


def test_ending_a_position_asks_for_confirmation_first(world: World) -> None:
    position = Position.objects.get(person=world.officer, role=Role.OFFICER)
    client = client_for(world.admin)
    url = reverse("org:position_end", args=[position.pk])
    data = {"on": "01/07/2030", "reason": "Nghỉ hưu"}
    assert "Xác nhận thôi giữ chức" in client.post(url, data).content.decode()
    position.refresh_from_db()
    assert position.valid_to is None
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    position.refresh_from_db()
    assert position.valid_to is not None


def test_person_create_with_a_login_account(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("org:person_create", args=[world.dept_b.pk]),
        {
            "full_name": "Vũ Thị Lan",
            "code": "SOB-01",
            "role": "officer",
            "username": "lan.vt",
            "password": "mat-khau-rat-dai-2026",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(code="SOB-01")
    assert person.user is not None and person.user.username == "lan.vt"


def test_delegation_grant_without_powers_says_so(world: World) -> None:
    response = client_for(world.head).post(
        reverse("org:delegation_grant"),
        {
            "delegate": world.officer.code,
            "unit": world.dept_a.code,
            "valid_from": "01/01/2030 08:00",
            "valid_to": "08/01/2030 08:00",
            "reason": "Đi công tác",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["powers"] == ["Chưa chọn quyền ủy quyền."]


def test_delegation_grant_and_revoke(world: World) -> None:
    client = client_for(world.head)
    response = client.post(
        reverse("org:delegation_grant"),
        {
            "delegate": world.officer.code,
            "unit": world.dept_a.code,
            "powers": ["task.assign"],
            "valid_from": "01/01/2030 08:00",
            "valid_to": "08/01/2030 08:00",
            "reason": "Đi công tác",
        },
    )
    assert response.status_code == 302
    delegation = world.head.delegations_given.get()
    listing = client.get(reverse("org:delegation_list")).content.decode()
    assert "Giao nhiệm vụ" in listing
    revoke = reverse("org:delegation_revoke", args=[delegation.pk])
    assert client.post(revoke, {"reason": ""}).status_code == 400
    assert client.post(revoke, {"reason": "Đã về cơ quan"}).status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None


def test_an_outsider_cannot_revoke_someone_elses_delegation(world: World) -> None:
    delegation = world.deputy.delegations_received.get()
    response = client_for(world.outsider).get(
        reverse("org:delegation_revoke", args=[delegation.pk])
    )
    assert response.status_code == 404


def test_who_sees_a_delegation_but_may_not_revoke_it_is_refused_not_lied_to(world: World) -> None:
    # The head of Sở A sees the registry of Sở A (so the API shows this delegation too) but
    # does not manage it: the page is a refusal with the reason, as on every registry page.
    delegation = world.deputy.delegations_received.get()
    url = reverse("org:delegation_revoke", args=[delegation.pk])
    response = client_for(world.head).post(url, {"reason": "Thử"})
    assert response.status_code == 403
    delegation.refresh_from_db()
    assert delegation.revoked_at is None


def test_children_fragment_for_the_lazy_tree(world: World) -> None:
    response = client_for(world.admin).get(
        reverse("org:unit_children", args=[world.root.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sở A" in body and "<html" not in body


def test_the_import_page_is_for_importers_only(world: World) -> None:
    assert client_for(world.admin).get(reverse("org:import")).status_code == 200
    assert client_for(world.head).get(reverse("org:import")).status_code == 403


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("co-cau.csv", text.encode("utf-8"), content_type="text/csv")


def test_an_import_with_bad_rows_lists_each_one_and_imports_nothing(world: World) -> None:
    client = client_for(world.admin)
    before = registry_snapshot()
    csv_text = (
        "loai_dong,ma_don_vi,ten_don_vi,loai_don_vi,ma_don_vi_cap_tren\n"
        "unit,SO-C,Sở C,department,HN\n"
        "unit,SO-D,,không-có-loại-này,HN\n"
    )
    response = client.post(reverse("org:import"), {"file": _upload(csv_text)})
    assert response.status_code == 400
    problems = response.context["problems"]
    assert problems and all(p["row"] == 3 for p in problems)
    assert registry_snapshot() == before


def test_a_good_import_shows_what_it_created(world: World) -> None:
    csv_text = (
        "loai_dong,ma_don_vi,ten_don_vi,loai_don_vi,ma_don_vi_cap_tren\n"
        "unit,SO-C,Sở C,department,HN\n"
    )
    response = client_for(world.admin).post(reverse("org:import"), {"file": _upload(csv_text)})
    assert response.status_code == 200
    assert "1 đơn vị" in response.content.decode()
    assert Unit.objects.filter(code="SO-C", parent=world.root).exists()
