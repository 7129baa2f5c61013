"""History tables speak Vietnamese: the action's label and people's names, with the ledger's
code of the action kept out of the text (in the label's tooltip only)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from baro.ledger.models import LedgerEvent
from baro.org.history import readable
from baro.org.models import Person
from baro.org.services import head_replace
from baro.testing.org import World

pytestmark = pytest.mark.django_db
CODE = re.compile(r"\b(work|org|oversight|cascade|notify|ledger)\.[a-z_]+\.[a-z_]+\b|person:\d+")


def test_the_unit_history_shows_labels_not_codes(world: World, new_person: Person) -> None:
    head_replace(actor=world.admin, unit=world.dept_b, person=new_person, title="Giám đốc Sở")
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert world.admin.user is not None
    client.force_login(world.admin.user)
    page = client.get(reverse("org:unit_detail", args=[world.dept_b.pk])).content.decode()
    history = page[page.index('id="history-body"') :]
    text = strip_tags(history.split("</table>", 1)[0])
    assert "Bổ nhiệm, thay người đứng đầu" in text
    assert "Quản Trị" in text
    assert CODE.search(text) is None, CODE.search(text)
    assert 'data-action="org.unit.head_replaced"' in history


def test_an_unknown_actor_is_named_in_words_not_by_ledger_reference(world: World) -> None:
    missing = Person.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    # An event as read back from the ledger (never saved here: the ledger refuses changes).
    event = LedgerEvent(
        actor=f"person:{missing}", on_behalf_of=world.admin.ledger_ref, action="org.unit.created"
    )
    (shown,) = readable([event])
    assert str(shown.actor_name) == f"Cán bộ số {missing}"  # type: ignore[attr-defined]
    assert shown.on_behalf_name == "Quản Trị"  # type: ignore[attr-defined]
