"""A refusal reads in the reader's language: English when English is chosen, with its
placeholders filled in, and Vietnamese, word for word as before, otherwise. The code never
changes with the language."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from baro.core.errors import AuthorityError, ConflictError, NotFoundError
from baro.org import services
from baro.org.models import Role, UnitKind
from baro.org.permissions import unit_get_for_actor
from baro.testing.org import World, assert_refused

pytestmark = pytest.mark.django_db

API = "/api/v1/org"


def _taken_code(world: World) -> None:
    services.unit_create(
        actor=world.admin, code="SO-B", name="Trùng", kind="department", parent=world.root
    )


def test_a_refusal_with_a_placeholder_reads_in_english(world: World) -> None:
    with translation.override("en"):
        error = assert_refused(
            "org.unit_code_taken", lambda: _taken_code(world), error=ConflictError
        )
    assert error.message == "Unit code “SO-B” is already in use."
    assert str(error) == error.message


def test_the_same_refusal_stays_vietnamese_by_default(world: World) -> None:
    error = assert_refused("org.unit_code_taken", lambda: _taken_code(world), error=ConflictError)
    assert error.message == "Mã đơn vị “SO-B” đã được dùng."


def test_an_authority_refusal_names_the_power_in_english(world: World) -> None:
    with translation.override("en"):
        error = assert_refused(
            "auth.denied",
            lambda: services.unit_create(
                actor=world.officer, code="X1", name="X", kind="division", parent=world.dept_a
            ),
            error=AuthorityError,
        )
    assert error.message == (
        "Chuyên Viên does not hold the power “Manage units, officials, positions and "
        "delegations” over Sở A."
    )


def test_a_constant_message_reads_in_english(world: World) -> None:
    with translation.override("en"), pytest.raises(NotFoundError) as info:
        unit_get_for_actor(world.outsider, world.dept_a.pk)
    assert info.value.message == "Unit not found."
    assert NotFoundError().message == "Không tìm thấy."
    with translation.override("en"):
        assert NotFoundError().message == "Not found."


def _bearer(world: World, **cookies: str) -> Client:
    _, raw = services.api_token_issue(actor=world.admin, person=world.admin, name="test")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    client.cookies.load(cookies)
    return client


def _create_taken(client: Client, world: World) -> dict[str, object]:
    body = {"code": "SO-B", "name": "Trùng", "kind": "department", "parent_id": world.root.pk}
    response = client.post(f"{API}/units", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 409
    return dict(response.json())


def test_the_api_answers_in_the_chosen_language(world: World) -> None:
    english = _bearer(world, **{settings.LANGUAGE_COOKIE_NAME: "en"})
    assert _create_taken(english, world) == {
        "code": "org.unit_code_taken",
        "message": "Unit code “SO-B” is already in use.",
        "field": "code",
    }
    nowhere = english.get("/api/v1/nowhere/")
    assert nowhere.json() == {"code": "not_found", "message": "The API has no such address."}


def _accepting(world: World, accept: str | None, **cookies: str) -> Client:
    client = _bearer(world, **cookies)
    if accept is not None:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = accept
    return client


def _refusal(client: Client, world: World) -> tuple[object, object, str, str]:
    body = {"code": "SO-B", "name": "Trùng", "kind": "department", "parent_id": world.root.pk}
    response = client.post(f"{API}/units", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 409
    answer = response.json()
    return answer["code"], answer["message"], response["Content-Language"], response.get("Vary", "")


ENGLISH = "Unit code “SO-B” is already in use."
VIETNAMESE = "Mã đơn vị “SO-B” đã được dùng."


@pytest.mark.parametrize("accept", ["en", "en-GB", "en-US,en;q=0.9", "fr, en;q=0.5"])
def test_the_api_follows_accept_language(world: World, accept: str) -> None:
    code, message, language, vary = _refusal(_accepting(world, accept), world)
    assert (code, message, language) == ("org.unit_code_taken", ENGLISH, "en")
    assert "Accept-Language" in vary


@pytest.mark.parametrize("accept", [None, "", "vi", "fr", "*", "vi, en;q=0.8", "zz-ZZ"])
def test_the_api_answers_in_vietnamese_without_english_asked(
    world: World, accept: str | None
) -> None:
    code, message, language, vary = _refusal(_accepting(world, accept), world)
    assert (code, message, language) == ("org.unit_code_taken", VIETNAMESE, "vi")
    assert "Accept-Language" in vary  # a cache must not hand it to a client asking for English


def test_the_cookie_wins_over_accept_language_in_the_api(world: World) -> None:
    client = _accepting(world, "en", **{settings.LANGUAGE_COOKIE_NAME: "vi"})
    assert _refusal(client, world)[1:3] == (VIETNAMESE, "vi")
    client = _accepting(world, "vi", **{settings.LANGUAGE_COOKIE_NAME: "en"})
    assert _refusal(client, world)[1:3] == (ENGLISH, "en")


def test_an_unknown_api_address_follows_accept_language(db: None) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/nowhere/")
    assert response.json() == {"code": "not_found", "message": "The API has no such address."}
    assert response["Content-Language"] == "en"


def test_a_page_with_accept_language_english_stays_vietnamese(world: World) -> None:
    # Only the API follows Accept-Language: a page keeps to Vietnamese until the person
    # switches, whatever the browser says.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert world.admin.user is not None
    client.force_login(world.admin.user)
    response = client.post(
        reverse("org:unit_create", args=[world.dept_a.pk]),
        {"code": "SO-B", "name": "Trùng mã", "kind": "division"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == [VIETNAMESE]
    assert response["Content-Language"] == "vi"


def test_an_english_refusal_names_the_role_in_english(world: World) -> None:
    with translation.override("en"):
        error = assert_refused(
            "org.position_exists",
            lambda: services.position_appoint(
                actor=world.admin, person=world.officer, unit=world.div_a1, role="officer"
            ),
            error=ConflictError,
        )
    assert error.message == "Chuyên Viên already holds the role Officer at Phòng A1."
    with translation.override("en"):
        assert str(UnitKind("division").label) == "Specialised division"
        assert str(Role("deputy").label) == "Deputy"
    assert str(Role("deputy").label) == "Cấp phó"
