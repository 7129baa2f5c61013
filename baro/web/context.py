"""Context every page gets: the signed-in person, their positions and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from baro.core.pages import request_person
from baro.org.models import Role
from baro.web.access import current_positions, web_powers
from baro.work.permissions import line_manager_decision
from baro.workdays.permissions import calendar_decision

# Who sees "Giám sát": inspectors, heads and deputies (urging, letters, their record), and
# administrators (the urging ladder).
OVERSIGHT_ROLES = frozenset({Role.INSPECTOR, Role.HEAD, Role.DEPUTY, Role.ADMIN})


def shell(request: HttpRequest) -> dict[str, Any]:
    person = request_person(request)
    if person is None:
        return {"current_person": None, "current_positions": [], "nav": []}
    cached = getattr(request, "_baro_shell", None)
    if cached is not None:
        return cached
    powers = web_powers(person)
    positions = current_positions(person)
    nav: list[dict[str, Any]] = [
        {"url": reverse("home"), "label": _("Trang chủ"), "key": "home"},
        # Everyone signed in has a task list ("việc của tôi" at least).
        {"url": reverse("work:task_list"), "label": _("Nhiệm vụ"), "key": "tasks"},
        {"url": reverse("work:directive_list"), "label": _("Văn bản"), "key": "directives"},
    ]
    if powers.registry_view:
        nav.append({"url": reverse("org:unit_list"), "label": _("Cơ cấu tổ chức"), "key": "org"})
    nav.append({"url": reverse("org:delegation_list"), "label": _("Ủy quyền"), "key": "delegation"})
    if powers.registry_import:
        nav.append({"url": reverse("org:import"), "label": _("Nhập từ tệp"), "key": "import"})
    if calendar_decision(person):
        nav.append(
            {"url": reverse("workdays:year"), "label": _("Lịch làm việc"), "key": "calendar"}
        )
    if line_manager_decision(person):
        nav.append(
            {"url": reverse("work:lines"), "label": _("Tuyến giao nhiệm vụ"), "key": "lines"}
        )
    if powers.ledger_read:
        nav.append({"url": reverse("ledger:index"), "label": _("Sổ cái"), "key": "ledger"})
    if any(p.role in OVERSIGHT_ROLES for p in positions):
        nav.append({"url": reverse("oversight:index"), "label": _("Giám sát"), "key": "oversight"})
    context = {
        "current_person": person,
        "current_positions": positions,
        "nav": nav,
        "web_powers": powers,
    }
    request._baro_shell = context  # type: ignore[attr-defined]
    return context
