"""People, unit merge and API token pages through Django's test client: who may see and act,
form errors next to their field in Vietnamese with nothing written, one ledger event per action.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from baro.ledger.models import LedgerEvent
from baro.org import services
from baro.org.api_auth import hash_token
from baro.org.models import ApiToken, Person, Position, Role, UnitSuccession
from baro.testing.factories import DelegationFactory, PositionFactory
from baro.testing.ledger import last_seq, one_new_event
from baro.testing.org import World, registry_snapshot


def state() -> dict[str, list[dict[str, object]]]:
    """The registry and the ledger, less the last-login times signing in touches."""
    snapshot = registry_snapshot()
    for user in snapshot["User"]:
        user.pop("last_login")
    return snapshot


def head_manages_dept_b(world: World) -> None:
    """The head of Sở A also sees and manages Sở B, by delegation from the administrator."""
    DelegationFactory(
        delegator=world.admin,
        delegate=world.head,
        unit=world.dept_b,
        powers=["registry.view", "registry.manage"],
    )


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def person_url(person: Person, name: str = "org:person_detail") -> str:
    return reverse(name, args=[person.pk])


# --------------------------------------------------------------------------------------------
# the list


def test_the_people_list_searches_by_name_code_and_email(world: World) -> None:
    world.officer.email = "chuyenvien@hanoi.gov.vn"
    world.officer.save(update_fields=["email"])
    client = client_for(world.admin)
    for text in ("Chuyên Viên", world.officer.code, "chuyenvien@hanoi"):
        response = client.get(reverse("org:person_list"), {"q": text})
        assert response.status_code == 200
        names = [p.full_name for p in response.context["page_obj"]]
        assert names == ["Chuyên Viên"], text
    body = response.content.decode()
    assert person_url(world.officer) in body  # each name links to the person's page


def test_the_people_list_filters_by_a_unit_and_its_subtree(world: World) -> None:
    client = client_for(world.admin)
    response = client.get(reverse("org:person_list"), {"unit": world.dept_a.code})
    names = {p.full_name for p in response.context["page_obj"]}
    assert names == {"Trưởng Sở A", "Chuyên Viên", "Được Ủy", "Phó Ủy"}
    response = client.get(reverse("org:person_list"), {"unit": world.dept_b.code})
    assert list(response.context["page_obj"]) == []


def test_the_people_list_shows_only_what_the_viewer_may_see(world: World) -> None:
    response = client_for(world.outsider).get(reverse("org:person_list"))
    names = {p.full_name for p in response.context["page_obj"]}
    assert names == {"Người Ngoài"}
    response = client_for(world.outsider).get(
        reverse("org:person_list"), {"unit": world.dept_a.code}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["unit"] == ["Không có đơn vị nào mã “SO-A”."]
    assert "Trưởng Sở A" not in response.content.decode()


def test_an_officer_may_not_open_the_people_list(world: World) -> None:
    response = client_for(world.officer).get(reverse("org:person_list"))
    assert response.status_code == 403
    assert "không có quyền" in response.content.decode()


def test_people_who_left_are_listed_only_on_request(world: World) -> None:
    services.person_update(actor=world.admin, person=world.officer, is_active=False)
    client = client_for(world.admin)
    names = {p.full_name for p in client.get(reverse("org:person_list")).context["page_obj"]}
    assert "Chuyên Viên" not in names
    response = client.get(reverse("org:person_list"), {"inactive": "on"})
    assert "Chuyên Viên" in {p.full_name for p in response.context["page_obj"]}
    assert "đã thôi công tác" in response.content.decode()


def test_the_people_list_paginates(world: World) -> None:
    for n in range(55):
        PositionFactory(unit=world.dept_b, person__full_name=f"Cán Bộ {n:02d}")
    client = client_for(world.admin)
    first = client.get(reverse("org:person_list"), {"unit": "SO-B"})
    assert len(first.context["page_obj"]) == 50
    assert "Trang 1/2" in first.content.decode()
    second = client.get(reverse("org:person_list"), {"unit": "SO-B", "page": 2})
    assert len(second.context["page_obj"]) == 5


# --------------------------------------------------------------------------------------------
# the person page


def test_the_person_page_shows_identity_positions_delegations_and_history(world: World) -> None:
    response = client_for(world.admin).get(person_url(world.delegate))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Được Ủy" in body and world.delegate.code in body
    assert "Sở A" in body  # current position
    assert "Quản Trị" in body  # the delegator of what they received
    assert len(response.context["received"]) == 2
    assert "đã thu hồi" not in body and "hết hạn" in body  # the expired delegation
    assert reverse("org:person_edit", args=[world.delegate.pk]) in body
    assert reverse("org:person_tokens", args=[world.delegate.pk]) in body


def test_the_unit_page_links_its_people(world: World) -> None:
    body = client_for(world.admin).get(reverse("org:unit_detail", args=[world.dept_a.pk]))
    assert person_url(world.head) in body.content.decode()


def test_who_may_open_a_person_page(world: World) -> None:
    assert client_for(world.head).get(person_url(world.officer)).status_code == 200
    assert client_for(world.outsider).get(person_url(world.officer)).status_code == 404
    assert client_for(world.officer).get(person_url(world.officer)).status_code == 200
    assert client_for(world.officer).get(person_url(world.head)).status_code == 404
    assert client_for(world.admin).get(person_url(world.system)).status_code == 404
    anonymous = Client().get(person_url(world.officer))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


def test_a_head_sees_a_person_but_no_edit_button(world: World) -> None:
    body = client_for(world.head).get(person_url(world.officer)).content.decode()
    assert "Chuyên Viên" in body
    assert reverse("org:person_edit", args=[world.officer.pk]) not in body


# --------------------------------------------------------------------------------------------
# editing a person


def edit_data(person: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": person.full_name,
        "email": person.email,
        "phone": person.phone,
        "is_active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_editing_the_phone_records_one_event_and_shows_in_the_history(world: World) -> None:
    client = client_for(world.admin)
    seq = last_seq()
    response = client.post(
        person_url(world.officer, "org:person_edit"), edit_data(world.officer, phone="0912 345 678")
    )
    assert response.status_code == 302
    assert response["Location"] == person_url(world.officer)
    event = one_new_event(seq)
    assert event.action == "org.person.updated"
    assert event.payload["fields"] == ["phone"]
    world.officer.refresh_from_db()
    assert world.officer.phone == "0912 345 678"
    body = client.get(person_url(world.officer)).content.decode()
    assert "Đã lưu thông tin cán bộ." in body
    assert "Sửa thông tin cán bộ" in body and "0912 345 678" in body
    assert "Điện thoại" in body


def test_saving_without_changes_writes_nothing(world: World) -> None:
    before = state()
    response = client_for(world.admin).post(
        person_url(world.officer, "org:person_edit"), edit_data(world.officer)
    )
    assert response.status_code == 302
    assert state() == before


def test_a_bad_email_and_an_empty_name_are_field_errors(world: World) -> None:
    client = client_for(world.admin)
    before = state()
    response = client.post(
        person_url(world.officer, "org:person_edit"),
        edit_data(world.officer, full_name="", email="khong-phai-thu"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["full_name"] == ["Chưa nhập họ và tên."]
    assert errors["email"] == ["Địa chỉ thư điện tử không hợp lệ."]
    body = response.content.decode()
    assert 'id="field-email"' in body and "Địa chỉ thư điện tử không hợp lệ." in body
    assert state() == before


def test_a_service_refusal_lands_next_to_its_field(world: World) -> None:
    before = state()
    response = client_for(world.admin).post(
        person_url(world.officer, "org:person_edit"),
        edit_data(world.officer, full_name="   "),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["full_name"] == ["Chưa nhập họ và tên."]
    assert state() == before


def test_switching_off_asks_for_confirmation_then_locks_the_account(world: World) -> None:
    client = client_for(world.admin)
    url = person_url(world.officer, "org:person_edit")
    data = edit_data(world.officer, is_active=None)
    before = state()
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Xác nhận cán bộ thôi công tác" in body and "Phòng A1" in body
    assert state() == before
    seq = last_seq()
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert one_new_event(seq).action == "org.person.updated"
    world.officer.refresh_from_db()
    world.officer.user.refresh_from_db()
    assert world.officer.is_active is False and world.officer.user.is_active is False


def test_who_may_edit_a_person(world: World) -> None:
    before = state()
    url = person_url(world.officer, "org:person_edit")
    data = edit_data(world.officer, phone="0900")
    response = client_for(world.head).post(url, data)
    assert response.status_code == 403
    assert "không có quyền" in response.content.decode()
    assert client_for(world.outsider).post(url, data).status_code == 404
    # registry.manage by delegation without registry.view: the person stays hidden
    assert client_for(world.deputy).post(url, data).status_code == 404
    assert state() == before


# --------------------------------------------------------------------------------------------
# appointing and ending positions from the person page


def test_appointing_from_the_person_page(world: World) -> None:
    client = client_for(world.admin)
    seq = last_seq()
    response = client.post(
        person_url(world.officer, "org:person_appoint"),
        {"unit": world.dept_b.code, "role": "deputy", "title": "Phó Giám đốc"},
    )
    assert response.status_code == 302
    assert response["Location"] == person_url(world.officer)
    assert one_new_event(seq).action == "org.position.appointed"
    assert Position.objects.filter(person=world.officer, unit=world.dept_b).exists()
    body = client.get(person_url(world.officer)).content.decode()
    assert "Phó Giám đốc" in body and "Bổ nhiệm chức vụ" in body


def test_appointing_refuses_bad_units_next_to_the_field(world: World) -> None:
    url = person_url(world.officer, "org:person_appoint")
    before = state()
    response = client_for(world.admin).post(url, {"unit": "KHONG-CO", "role": "officer"})
    assert response.status_code == 400
    assert response.context["form"].errors["unit"] == ["Không có đơn vị nào mã “KHONG-CO”."]
    response = client_for(world.admin).post(url, {"unit": world.div_a1.code, "role": "officer"})
    assert response.status_code == 400
    assert "Chuyên Viên đang giữ vai trò" in response.context["form"].errors["role"][0]
    assert client_for(world.head).get(url).status_code == 403
    # the head sees Sở A but manages only Sở B: Sở A is refused with the authority's reason
    head_manages_dept_b(world)
    before = state()
    response = client_for(world.head).post(url, {"unit": world.dept_a.code, "role": "deputy"})
    assert response.status_code == 400
    assert "không có quyền" in response.context["form"].errors["unit"][0]
    assert state() == before


def test_ending_a_position_from_the_person_page_returns_there(world: World) -> None:
    position = Position.objects.get(person=world.officer, unit=world.div_a1)
    client = client_for(world.admin)
    page = client.get(person_url(world.officer)).content.decode()
    end_url = reverse("org:position_end", args=[position.pk])
    assert end_url in page
    url = f"{end_url}?next={person_url(world.officer)}"
    data = {"on": "01/07/2030", "reason": "Chuyển công tác"}
    assert "Xác nhận thôi giữ chức" in client.post(url, data).content.decode()
    seq = last_seq()
    response = client.post(url, {**data, "confirmed": "1"})
    assert response["Location"] == person_url(world.officer)
    assert one_new_event(seq).action == "org.position.ended"
    response = client.post(f"{end_url}?next=https://evil.example/", {**data, "confirmed": "1"})
    assert "evil" not in response.get("Location", "")


# --------------------------------------------------------------------------------------------
# merging units


def test_merging_asks_for_confirmation_then_closes_and_records_the_successor(
    world: World,
) -> None:
    PositionFactory(person=world.delegate, unit=world.dept_b, role=Role.HEAD)
    client = client_for(world.admin)
    url = reverse("org:unit_merge", args=[world.dept_b.pk])
    assert client.get(url).status_code == 200
    data = {"into": world.dept_a.code, "on": "01/07/2030", "decision_ref": "NQ 1/2030"}
    before = state()
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Xác nhận hợp nhất đơn vị" in body
    assert "01/07/2030" in body and "Sở A" in body and "Được Ủy" in body  # the position ending
    assert "đơn vị kế thừa" in body
    assert state() == before
    seq = last_seq()
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit_detail", args=[world.dept_a.pk])
    assert one_new_event(seq).action == "org.unit.merged"
    world.dept_b.refresh_from_db()
    assert world.dept_b.valid_to is not None and world.dept_b.valid_to.isoformat() == "2030-07-01"
    assert UnitSuccession.objects.filter(predecessor=world.dept_b, successor=world.dept_a).exists()
    assert not Position.objects.filter(unit=world.dept_b, valid_to__isnull=True).exists()


def test_merging_errors_are_shown_next_to_the_field(world: World) -> None:
    client = client_for(world.admin)
    url = reverse("org:unit_merge", args=[world.dept_b.pk])
    before = state()
    response = client.post(url, {"into": "", "on": ""})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["into"] == ["Chưa nhập mã đơn vị tiếp nhận."]
    assert errors["on"] == ["Chưa nhập ngày hợp nhất."]
    response = client.post(url, {"into": world.dept_b.code, "on": "01/07/2030", "confirmed": "1"})
    assert response.status_code == 400
    assert "kế thừa" in response.context["form"].errors["into"][0]
    response = client.post(url, {"into": world.other_root.code, "on": "01/07/2030"})
    assert response.context["form"].errors["into"] == ["Không có đơn vị nào mã “HP”."]
    response = client.post(url, {"into": "SO-A", "others": "SO-B", "on": "01/07/2030"})
    response = client.post(
        url, {"into": "SO-A", "others": "SO-B", "on": "01/07/2030", "confirmed": "1"}
    )
    assert response.context["form"].errors["others"] == ["Một đơn vị được chọn hai lần."]
    assert state() == before


def test_who_may_merge(world: World) -> None:
    url = reverse("org:unit_merge", args=[world.dept_b.pk])
    data = {"into": world.dept_a.code, "on": "01/07/2030", "confirmed": "1"}
    before = state()
    assert client_for(world.head).post(url, data).status_code == 404  # Sở B is hidden
    assert client_for(world.outsider).post(url, data).status_code == 404
    own = reverse("org:unit_merge", args=[world.dept_a.pk])
    assert client_for(world.head).post(own, {**data, "into": "SO-B"}).status_code == 403
    # managing Sở B is not enough: Sở A, receiving it, must be managed too
    head_manages_dept_b(world)
    before = state()
    response = client_for(world.head).post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["into"]
    assert state() == before
    body = client_for(world.admin).get(reverse("org:unit_detail", args=[world.dept_b.pk]))
    assert url in body.content.decode()


# --------------------------------------------------------------------------------------------
# API tokens


def test_an_officer_issues_a_token_and_sees_it_once(world: World) -> None:
    client = client_for(world.officer)
    url = reverse("org:token_list")
    assert client.get(url).status_code == 200
    seq = last_seq()
    response = client.post(url, {"name": "Đồng bộ văn bản", "expires_on": "31/12/2099"})
    assert response.status_code == 302 and response["Location"] == url  # a reload re-issues nothing
    response = client.get(url)
    assert response["Cache-Control"] == "no-store"
    raw = response.context["raw_token"]
    assert raw.startswith("baro_")
    body = response.content.decode()
    assert raw in body and "Hãy sao chép mã này ngay bây giờ." in body
    event = one_new_event(seq)
    assert event.action == "org.api_token.issued" and raw not in event.body
    token = ApiToken.objects.get(person=world.officer)
    assert token.token_hash == hash_token(raw) and token.name == "Đồng bộ văn bản"
    assert token.expires_at is not None
    assert timezone.localtime(token.expires_at).strftime("%d/%m/%Y %H:%M") == "31/12/2099 23:59"
    again = client.get(url).content.decode()
    assert raw not in again and token.prefix in again and "31/12/2099 23:59" in again


def test_token_form_errors_are_next_to_the_field(world: World) -> None:
    client = client_for(world.officer)
    before = state()
    response = client.post(reverse("org:token_list"), {"name": "", "expires_on": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Chưa nhập tên mã truy cập."]
    response = client.post(reverse("org:token_list"), {"name": "Cũ", "expires_on": "01/01/2020"})
    assert response.status_code == 400
    assert response.context["form"].errors["expires_on"] == ["Thời hạn phải ở tương lai."]
    assert "baro_" not in response.content.decode()
    assert state() == before


def test_an_administrator_manages_tokens_of_people_in_their_subtree(world: World) -> None:
    url = person_url(world.officer, "org:person_tokens")
    seq = last_seq()
    response = client_for(world.admin).post(url, {"name": "Tích hợp", "expires_on": ""})
    assert response.status_code == 302 and response["Location"] == url
    assert one_new_event(seq).action == "org.api_token.issued"
    assert ApiToken.objects.get(person=world.officer).expires_at is None
    before = state()
    assert client_for(world.head).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.head).post(url, {"name": "X"}).status_code == 403
    assert state() == before


def test_revoking_a_token_asks_for_confirmation(world: World) -> None:
    token, _raw = services.api_token_issue(actor=world.officer, person=world.officer, name="Cũ")
    url = reverse("org:token_revoke", args=[token.pk])
    before = state()
    assert client_for(world.head).post(url, {"confirmed": "1"}).status_code == 403
    assert client_for(world.outsider).post(url, {"confirmed": "1"}).status_code == 404
    client = client_for(world.officer)
    response = client.get(url)
    assert response.status_code == 200
    assert "Xác nhận thu hồi mã truy cập" in response.content.decode()
    assert client.post(url).status_code == 200  # without the confirmation: asks again
    assert state() == before
    seq = last_seq()
    response = client.post(url, {"confirmed": "1"})
    assert response["Location"] == reverse("org:token_list")
    assert one_new_event(seq).action == "org.api_token.revoked"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.post(url, {"confirmed": "1"}).status_code == 302  # already revoked: no event
    assert LedgerEvent.objects.filter(seq__gt=seq).count() == 1
    assert "đã thu hồi" in client.get(reverse("org:token_list")).content.decode()
