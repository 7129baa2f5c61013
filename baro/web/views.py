"""The page shell's views: sign-in and the home page that fits the person's role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from baro.cascade.queries import my_pending_acknowledgements, receipts_to_handle
from baro.core.pages import person_required
from baro.core.timeutil import today
from baro.ledger import queries as ledger_queries
from baro.org.models import Person, Role
from baro.org.permissions import UnitReach
from baro.web import dashboards
from baro.web.access import current_positions
from baro.web.forms import LoginForm
from baro.work.queries.inbox import work_inbox

# Which home section comes first when a person holds several roles.
ROLE_ORDER = [
    Role.ADMIN,
    Role.HEAD,
    Role.DEPUTY,
    Role.INSPECTOR,
    Role.SECRETARIAT,
    Role.FRONT_SUPERVISOR,
    Role.OFFICER,
]
HOME_TITLES = {
    Role.ADMIN: _("Trang của Quản trị hệ thống"),
    Role.HEAD: _("Trang của Người đứng đầu"),
    Role.DEPUTY: _("Trang của Cấp phó"),
    Role.INSPECTOR: _("Trang của Kiểm tra, thanh tra"),
    Role.SECRETARIAT: _("Trang của Văn thư, tổng hợp"),
    Role.FRONT_SUPERVISOR: _("Trang của Giám sát (MTTQ)"),
    Role.OFFICER: _("Trang của Chuyên viên"),
}


def favicon(request: HttpRequest) -> HttpResponse:
    """Answer /favicon.ico with the mark the pages name (web/favicon.svg), instead of a 404."""
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@person_required
def home(request: HttpRequest, person: Person) -> HttpResponse:
    positions = current_positions(person)
    roles = [role for role in ROLE_ORDER if any(p.role == role for p in positions)]
    by_role = {role: [p for p in positions if p.role == role] for role in roles}
    sections: dict[str, Any] = {}
    if Role.ADMIN in by_role:
        sections["admin"] = dashboards.registry_summary()
    for role in (Role.HEAD, Role.DEPUTY, Role.SECRETARIAT):
        if role in by_role:
            sections[role] = [dashboards.unit_overview(p.unit) for p in by_role[role]]
    if Role.HEAD in by_role or Role.DEPUTY in by_role:
        sections["given"] = dashboards.delegations_given(person)
    if Role.OFFICER in by_role:
        sections["officer"] = [
            {"position": p, "head": dashboards.unit_overview(p.unit)["head"]}
            for p in by_role[Role.OFFICER]
        ]
    sections["received"] = dashboards.delegations_received(person)
    sections["expired"] = dashboards.delegations_expired(person)
    day = today()
    sections["inbox"] = work_inbox(person, day)
    sections["to_acknowledge"] = my_pending_acknowledgements(person, day)
    sections["receipts"] = [
        row for row in receipts_to_handle(person, day) if not row.deployment.is_done
    ]
    if Role.INSPECTOR in by_role:
        sections["ledger"] = ledger_queries.chain_status()
    if Role.FRONT_SUPERVISOR in by_role:
        sections["front"] = dashboards.public_scope_units(person, by_role[Role.FRONT_SUPERVISOR])
    linked_units = {p.unit for p in positions} | {
        d.unit for d in sections["received"] + sections.get("given", [])
    }
    visible_ids = UnitReach(person).card_ids(linked_units)
    primary = roles[0] if roles else None
    return render(
        request,
        "web/home.html",
        {
            "home_title": HOME_TITLES[primary] if primary else _("Trang cá nhân"),
            "roles": roles,
            "by_role": by_role,
            "s": sections,
            "visible_ids": visible_ids,
            "Role": {r.name: r.value for r in Role},
            "nav_active": "home",
        },
    )
