"""The ledger page (/so-cai/): chain status, the integrity check and the event list.

Only for holders of ledger.read (inspectors, administrators), checked installation-wide.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baro.core.pages import HtmxRequest, deny_unless, person_required
from baro.ledger import queries as ledger_queries
from baro.ledger.verify import verify_database
from baro.org import authority
from baro.org.authority import Power
from baro.org.history import readable
from baro.org.models import Person

PAGE_SIZE = 50


def _crumbs() -> list[dict[str, str]]:
    return [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Sổ cái"), "url": ""},
    ]


def _filters(request: HttpRequest) -> dict[str, str]:
    return {
        name: request.GET.get(name, "").strip()
        for name in ("action", "actor", "object_type", "object_id")
    }


@person_required
def index(request: HtmxRequest, person: Person) -> HttpResponse:
    deny_unless(authority.holds_anywhere(person, Power.LEDGER_READ))
    filters = _filters(request)
    events = ledger_queries.event_list(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = readable(page.object_list)
    context = {"page_obj": page, "filters": filters}
    if request.htmx and request.GET.get("part") == "events":
        return render(request, "ledger/index.html#events", context)
    return render(
        request,
        "ledger/index.html",
        {
            **context,
            "status": ledger_queries.chain_status(),
            "breadcrumbs": _crumbs(),
            "nav_active": "ledger",
        },
    )


@require_POST
@person_required
def verify(request: HtmxRequest, person: Person) -> HttpResponse:
    """Recompute the whole chain and its signed checkpoints; show the verdict."""
    deny_unless(authority.holds_anywhere(person, Power.LEDGER_READ))
    report = verify_database()
    if request.htmx:
        return render(request, "ledger/_verdict.html", {"report": report})
    filters = {"action": "", "actor": "", "object_type": "", "object_id": ""}
    page = Paginator(ledger_queries.event_list(), PAGE_SIZE).get_page(1)
    page.object_list = readable(page.object_list)
    return render(
        request,
        "ledger/index.html",
        {
            "report": report,
            "status": ledger_queries.chain_status(),
            "page_obj": page,
            "filters": filters,
            "breadcrumbs": _crumbs(),
            "nav_active": "ledger",
        },
    )
