"""What the page modules of oversight share: breadcrumbs, links to the task and the ledger, the
ledger events in words, and the confirmation step of a final decision. The names are the
package's own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from baro.org.history import readable


def page_size() -> int:
    return int(getattr(settings, "BARO_PAGE_SIZE", 50))


def crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    """Home › Giám sát › `extra` (label, url; the last one's url empty)."""
    return [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Giám sát"), "url": reverse("oversight:index")},
        *({"label": label, "url": url} for label, url in extra),
    ]


def task_url(task_id: int) -> str:
    return reverse("work:task_detail", args=[task_id])


def ledger_url(object_type: str, object_id: str | int) -> str:
    query = urlencode({"object_type": object_type, "object_id": object_id})
    return f"{reverse('ledger:index')}?{query}"


def readable_events(events: list[Any]) -> list[Any]:
    """The events in words (baro.org.history), each with the link to its object's ledger."""
    rows = readable(events)
    for event in rows:
        event.ledger_url = ledger_url(event.object_type, event.object_id)  # type: ignore[attr-defined]
    return rows


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    facts: list[tuple[str, str]],
    carry: list[tuple[str, str]],
    confirm_label: str,
    cancel_url: str,
    breadcrumbs: list[dict[str, str]],
) -> HttpResponse:
    """The second step of a decision that cannot be undone: what is about to be recorded, and
    the form that posts it again with `confirmed=1` (`carry` holds the values)."""
    return render(
        request,
        "web/confirm.html",
        {
            "page_title": title,
            "question": question,
            "facts": facts,
            "carry": carry,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "breadcrumbs": breadcrumbs,
            "nav_active": "oversight",
        },
    )
