"""The page shell: sign-in, language switch, and the home page that fits each role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from baro.org.models import Person
from baro.testing.org import World

pytestmark = pytest.mark.django_db


def client_for(person: Person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_login(person.user)
    return client


def test_the_login_page_speaks_vietnamese(db: None) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="vi").get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Baro — Ba Rõ" in body
    assert "Tên đăng nhập" in body and "Phương châm “3 rõ”" in body
    assert "django_htmx/htmx-2.min.js" in body


def test_an_english_browser_still_gets_vietnamese_until_the_person_switches(db: None) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = client.get(reverse("login")).content.decode()
    assert "Tên đăng nhập" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Username" in client.get(reverse("login")).content.decode()


def test_a_wrong_password_is_refused_in_vietnamese(world: World) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="vi").post(
        reverse("login"), {"username": world.admin.user.username, "password": "sai"}
    )
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_the_shell_switches_to_english(world: World) -> None:
    client = client_for(world.admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert "Administrator&#x27;s page" in body or "Administrator's page" in body
    assert "Log out" in body


def test_the_home_page_needs_a_signed_in_person(db: None) -> None:
    response = Client().get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("admin", "Trang của Quản trị hệ thống"),
        ("head", "Trang của Người đứng đầu"),
        ("officer", "Trang của Chuyên viên"),
    ],
)
def test_each_role_gets_its_own_home(world: World, persona: str, heading: str) -> None:
    body = client_for(getattr(world, persona)).get(reverse("home")).content.decode()
    assert f"<h1>{heading}</h1>" in body


def test_the_admin_home_counts_vacant_heads(world: World) -> None:
    response = client_for(world.admin).get(reverse("home"))
    summary = response.context["s"]["admin"]
    # Every unit but Sở A lacks a head: Hà Nội, Phòng A1, Sở B, Hải Phòng.
    assert summary["vacant"] == 4
    assert "khuyết người đứng đầu" in response.content.decode()


def test_the_officer_home_names_their_head_and_hides_the_registry(world: World) -> None:
    response = client_for(world.officer).get(reverse("home"))
    body = response.content.decode()
    assert "Khuyết người đứng đầu" in body  # Phòng A1 has no head
    assert f'href="{reverse("org:unit_list")}"' not in body  # no registry.view, no menu entry


def test_logout_is_a_post(world: World) -> None:
    client = client_for(world.admin)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302
