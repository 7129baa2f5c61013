"""What the registry's pages share: breadcrumbs, links, the form page, list sizes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from baro.org import queries as org_queries
from baro.org.models import Person, Unit
from baro.org.permissions import may_view_registry

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 20


def crumbs(
    unit: Unit | None = None, *extra: str, linkable: Callable[[Unit], bool] | None = None
) -> list[dict[str, str]]:
    """The breadcrumbs of a registry page: home, the registry, `unit`'s ancestors and itself,
    then `extra` labels (the page's own title) without a link. With `linkable`, an ancestor it
    refuses is named without a link (its page would be a 404 for this person)."""
    trail = [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Cơ cấu tổ chức"), "url": reverse("org:unit_list")},
    ]
    if unit is not None:
        for ancestor in org_queries.ancestors(unit):
            url = unit_url(ancestor) if linkable is None or linkable(ancestor) else ""
            trail.append({"label": ancestor.short_name or ancestor.name, "url": url})
        trail.append({"label": unit.name, "url": unit_url(unit)})
    trail.extend({"label": label, "url": ""} for label in extra)
    return trail


def unit_url(unit: Unit) -> str:
    return reverse("org:unit_detail", args=[unit.pk])


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    unit: Unit | None,
    cancel_url: str,
    submit_label: str,
    intro: str = "",
    status: int = 200,
    breadcrumbs: list[dict[str, str]] | None = None,
    nav_active: str = "org",
) -> HttpResponse:
    """The shared form page (web/form_page.html); 400 once the form carries errors."""
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "page_title": title,
            "intro": intro,
            "cancel_url": cancel_url,
            "submit_label": submit_label,
            "breadcrumbs": breadcrumbs or crumbs(unit, title),
            "nav_active": nav_active,
        },
        status=status if not form.errors else 400,
    )


def person_url(target: Person) -> str:
    return reverse("org:person_detail", args=[target.pk])


def people_crumbs(actor: Person, target: Person | None = None, *extra: str) -> list[dict[str, str]]:
    """The breadcrumbs of a person's pages (the people list only for who may open it)."""
    trail = [{"label": _("Trang chủ"), "url": reverse("home")}]
    if may_view_registry(actor):
        trail.append({"label": _("Cán bộ"), "url": reverse("org:person_list")})
    if target is not None:
        trail.append({"label": target.full_name, "url": person_url(target)})
    trail.extend({"label": label, "url": ""} for label in extra)
    return trail


def carry(form: Any) -> list[tuple[str, str]]:
    """The submitted values of a validated form, to carry through a confirmation page."""
    pairs: list[tuple[str, str]] = []
    for name in form.fields:
        for value in form.data.getlist(name):
            pairs.append((name, value))
    return pairs
