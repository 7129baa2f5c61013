"""Who is asking, and what the pages may offer them: the web layer's view of authority.

Every decision comes from baro.org.authority; this module only caches it per request and turns
refusals into the HTTP answers the pages give (403 with the reason, 404 for what is hidden).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from baro.org import authority
from baro.org import queries as org_queries
from baro.org.authority import Power
from baro.org.models import Person, Position


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go back to: the request's `next` (form, then query string) when it is a path
    on this site, else `default`. Only a path: redirect() takes a bare word ("²") for the name
    of a view and fails, and another host would make the form an open redirect."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default


def request_person(request: HttpRequest) -> Person | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


@dataclass(frozen=True)
class WebPowers:
    """Installation-wide powers that decide which sections the navigation shows."""

    registry_view: bool
    registry_manage: bool
    registry_import: bool
    ledger_read: bool


def web_powers(person: Person) -> WebPowers:
    return WebPowers(
        registry_view=bool(authority.holds_anywhere(person, Power.REGISTRY_VIEW)),
        registry_manage=bool(authority.holds_anywhere(person, Power.REGISTRY_MANAGE)),
        registry_import=bool(authority.holds_anywhere(person, Power.REGISTRY_IMPORT)),
        ledger_read=bool(authority.holds_anywhere(person, Power.LEDGER_READ)),
    )


def current_positions(person: Person) -> list[Position]:
    """The person's positions in force today, most senior role first."""
    return list(
        org_queries.person_positions(person, current_only=True).order_by(
            "unit__depth", "unit__path", "role"
        )
    )


def person_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a signed-in user who is a Person of the registry; pass the person to the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        person = request_person(request)
        if person is None or not person.is_active:
            raise PermissionDenied("Tài khoản này chưa gắn với cán bộ nào đang công tác.")
        return view(request, person, *args, **kwargs)

    return wrapper


def deny_unless(decision: authority.Decision) -> authority.Decision:
    """Raise PermissionDenied with the authority's Vietnamese reason when the answer is no."""
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision
