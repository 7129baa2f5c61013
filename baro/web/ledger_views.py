"""The ledger page (/so-cai/): chain status, the integrity check and the event list.

Only for holders of ledger.read (inspectors, administrators), checked installation-wide.
Events show in words: the action's label, who acted by name, the object by its kind and title
(baro.web.ledger_names); the stored codes stay beside them, smaller, for whoever checks an
export against the page.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from baro.core.pages import HtmxRequest, deny_unless, person_required
from baro.ledger import queries as ledger_queries
from baro.ledger.checkpoints import checkpoint_seconds
from baro.ledger.labels import action_label, registered_actions
from baro.ledger.models import LedgerEvent
from baro.ledger.verify import VerifyReport, verify_database
from baro.org import authority
from baro.org.authority import Power
from baro.org.history import readable
from baro.org.models import Person
from baro.web.ledger_names import object_type_choices, with_object_names

PAGE_SIZE = 50
FILTERS = ("action", "actor", "object_type", "object_id")
# A name typed in the "who acted" filter matches at most this many people.
ACTOR_MATCHES = 200


def _crumbs() -> list[dict[str, str]]:
    return [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Sổ cái"), "url": ""},
    ]


def _filters(request: HttpRequest) -> dict[str, str]:
    return {name: request.GET.get(name, "").strip() for name in FILTERS}


def _events(filters: dict[str, str]) -> QuerySet[LedgerEvent]:
    """The events the filters select. "Who acted" takes a reference ("person:12",
    "system:worker") or part of a person's name."""
    actor = filters["actor"]
    exact = actor if ":" in actor else None
    events = ledger_queries.event_list(
        action=filters["action"] or None,
        actor=exact,
        object_type=filters["object_type"] or None,
        object_id=filters["object_id"] or None,
    )
    if actor and exact is None:
        people = Person.objects.filter(full_name__icontains=actor).order_by("pk")[:ACTOR_MATCHES]
        events = events.filter(actor__in=[person.ledger_ref for person in people])
    return events


def _choices(
    options: list[tuple[str, str | Promise]], selected: str
) -> list[tuple[str, str | Promise]]:
    """The options of a filter's drop-down; a code given that none offers (an old link) stays
    selectable, as itself."""
    if selected and selected not in {code for code, _label in options}:
        return [*options, (selected, selected)]
    return options


def _sign_within() -> str:
    seconds = checkpoint_seconds()
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes}
    return ngettext("%(n)d giây", "%(n)d giây", seconds) % {"n": seconds}


def _page(request: HttpRequest, filters: dict[str, str]) -> dict[str, Any]:
    page = Paginator(_events(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_object_names(readable(page.object_list))
    actions = sorted(
        ((code, action_label(code) or code) for code in registered_actions()),
        key=lambda choice: str(choice[1]),
    )
    return {
        "page_obj": page,
        "filters": filters,
        "action_choices": _choices(actions, filters["action"]),
        "object_type_choices": _choices(object_type_choices(), filters["object_type"]),
    }


def _full_page(
    request: HttpRequest, context: dict[str, Any], report: VerifyReport | None = None
) -> HttpResponse:
    return render(
        request,
        "ledger/index.html",
        {
            **context,
            "report": report,
            "status": ledger_queries.chain_status(),
            "sign_within": _sign_within(),
            "breadcrumbs": _crumbs(),
            "nav_active": "ledger",
        },
    )


@person_required
def index(request: HtmxRequest, person: Person) -> HttpResponse:
    deny_unless(authority.holds_anywhere(person, Power.LEDGER_READ))
    context = _page(request, _filters(request))
    if request.htmx and request.GET.get("part") == "events":
        return render(request, "ledger/index.html#events", context)
    return _full_page(request, context)


@require_http_methods(["GET", "POST"])
@person_required
def verify(request: HtmxRequest, person: Person) -> HttpResponse:
    """Recompute the whole chain and its signed checkpoints; show the verdict.

    A GET (a bookmarked or reloaded result) goes back to the ledger page: the check reads the
    whole chain, so it runs only when someone presses the button.
    """
    deny_unless(authority.holds_anywhere(person, Power.LEDGER_READ))
    if request.method == "GET":
        return redirect("ledger:index")
    report = verify_database()
    if request.htmx:
        return render(request, "ledger/_verdict.html", {"report": report})
    return _full_page(request, _page(request, {name: "" for name in FILTERS}), report)
