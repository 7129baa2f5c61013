"""One date style and Vietnamese file pickers on every page: dates are typed dd/mm/yyyy (never
the browser's date picker, which shows the browser's own order), and a file input is labelled
"Chọn tệp" by Baro, not "Choose File" by the browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from baro.testing.org import World

PACKAGE = Path(__file__).resolve().parents[2]
BROWSER_DATE = re.compile(r"""type=["']date["']|["']type["']\s*:\s*["']date["']""")


def test_no_page_asks_for_a_date_through_the_browsers_picker() -> None:
    found = [
        str(path.relative_to(PACKAGE))
        for pattern in ("*.html", "*.py")
        for path in PACKAGE.rglob(pattern)
        if "tests" not in path.parts and BROWSER_DATE.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.django_db
def test_the_task_list_date_filter_reads_and_shows_dd_mm_yyyy(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert world.head.user is not None
    client.force_login(world.head.user)
    page = client.get(reverse("work:task_list"), {"deadline_from": "01/07/2026"})
    body = page.content.decode()
    assert page.status_code == 200
    field = body[body.index('id="f-from"') - 120 : body.index('id="f-from"') + 200]
    assert 'placeholder="dd/mm/yyyy"' in field and 'value="01/07/2026"' in field


@pytest.mark.django_db
def test_a_file_field_gets_baros_vietnamese_picker(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert world.admin.user is not None
    client.force_login(world.admin.user)
    body = client.get(reverse("org:import")).content.decode()
    picker = body[body.index('class="filepick"') :].split("</span></span>", 1)[0]
    assert 'type="file"' in picker
    assert "Chọn tệp" in picker and 'data-empty="Chưa chọn tệp"' in picker


@pytest.mark.django_db
def test_favicon_ico_answers_with_baros_own_mark() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/web/favicon.svg"
    assert (PACKAGE / "web/static/web/favicon.svg").read_text(encoding="utf-8").startswith("<svg")
    page = Client().get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in page
