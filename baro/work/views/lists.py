"""Task list pages (/nhiem-vu/): the four scopes as tabs, filters, counts, rates, .xlsx export.

Thin views over baro.work.queries.lists: the rows a person sees come only from task_list(), so
the page, its counts and its export can never disagree. Bad filter values come back next to
their field (400) and the list is shown unfiltered below.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from baro.core.errors import DomainError
from baro.core.timeutil import now, today
from baro.org.models import Person, Position, Unit
from baro.org.queries import active_on, subtree_q
from baro.web.access import person_required
from baro.work.exports import tasks_workbook
from baro.work.models import Directive, TaskStatus
from baro.work.queries import lists as q
from baro.work.rules import TimingStatus

# How many units and people the filter's drop-downs offer at most (a province has thousands).
CHOICE_LIMIT = 400


def _page_size() -> int:
    return int(getattr(settings, "BARO_PAGE_SIZE", 50))


def _scope(request: HttpRequest, scopes: list[q.Scope]) -> q.Scope:
    asked = request.GET.get("scope", "")
    for scope in scopes:
        if scope == asked:
            return scope
    return scopes[0]


def _filters(request: HttpRequest) -> tuple[q.TaskFilters, DomainError | None]:
    try:
        return q.parse_filters(request.GET), None
    except DomainError as error:
        return q.TaskFilters(), error


def _detail_url_maker() -> Any:
    """task id → its page; the task page lives in another module (work:task_detail)."""
    try:
        reverse("work:task_detail", args=[1])
    except NoReverseMatch:
        return lambda pk: f"/nhiem-vu/{pk}/"
    return lambda pk: reverse("work:task_detail", args=[pk])


def _unit_choices(person: Person) -> list[Unit]:
    """The units worth filtering by: below the units the person oversees, else their own."""
    day = today()
    roots = q.under_units(person, day) or [
        p.unit
        for p in Position.objects.filter(active_on(day), person=person).select_related("unit")
    ]
    if not roots:
        return []
    scope = subtree_q(roots[0].path)
    for unit in roots[1:]:
        scope |= subtree_q(unit.path)
    return list(Unit.objects.filter(scope).filter(active_on(day)).order_by("path")[:CHOICE_LIMIT])


def _officer_choices(units: list[Unit]) -> list[Person]:
    day = today()
    return list(
        Person.objects.filter(positions__in=Position.objects.filter(active_on(day), unit__in=units))
        .distinct()
        .order_by("full_name")[:CHOICE_LIMIT]
    )


def _query_without(request: HttpRequest, *names: str) -> str:
    params = [(k, v) for k, v in request.GET.items() if k not in names and v != ""]
    return urlencode(params)


@require_GET
@person_required
def task_list(request: HttpRequest, person: Person) -> HttpResponse:
    scopes = q.available_scopes(person)
    scope = _scope(request, scopes)
    filters, error = _filters(request)
    day = today()
    # The counts and rates are of the whole scope with the other filters, not of one timing
    # cell: clicking a cell narrows the list, the grid stays whole.
    grid_filters = q.TaskFilters(**{**filters.__dict__, "timing": ""})
    grid_qs = q.task_list(person, scope=scope, filters=grid_filters, today=day)
    tasks = grid_qs.filter(q.timing_q(filters.timing, day)) if filters.timing else grid_qs
    page = Paginator(tasks, _page_size()).get_page(request.GET.get("page"))
    detail_url = _detail_url_maker()
    for task in page.object_list:
        task.detail_url = detail_url(task.pk)
    counts = q.timing_counts(grid_qs, day)
    units = _unit_choices(person)
    export_query = urlencode({"scope": scope.value, **filters.as_params()})
    return render(
        request,
        "work/lists/task_list.html",
        {
            "scopes": [{"value": s.value, "label": s.label, "current": s == scope} for s in scopes],
            "scope": scope,
            "filters": filters,
            "filter_description": q.describe_filters(filters),
            "error": error,
            "page_obj": page,
            "counts": counts,
            "cells": [
                {
                    "value": value,
                    "label": label,
                    "count": count,
                    "current": filters.timing == value,
                    "query": urlencode(
                        {"scope": scope.value, **grid_filters.as_params(), "timing": value}
                    ),
                }
                for value, label, count in counts.cells()
            ],
            "not_updated_query": urlencode(
                {"scope": scope.value, **grid_filters.as_params(), "not_updated": "1"}
            ),
            "rates": q.rates_from_counts(counts),
            "timing_choices": TimingStatus.choices,
            "status_choices": TaskStatus.choices,
            "directives": list(Directive.objects.order_by("-signed_on", "number_symbol")[:200]),
            "units": units,
            "officers": _officer_choices(units),
            "scope_query": _query_without(request, "scope", "page"),
            "export_url": f"{reverse('work:task_export')}?{export_query}",
            "today": day,
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": _("Nhiệm vụ"), "url": reverse("work:task_list")},
            ],
            "nav_active": "tasks",
        },
        status=400 if error else 200,
    )


@require_GET
@person_required
def task_export(request: HttpRequest, person: Person) -> HttpResponse:
    scopes = q.available_scopes(person)
    scope = _scope(request, scopes)
    try:
        filters = q.parse_filters(request.GET)
    except DomainError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    day = today()
    moment = now()
    tasks = q.task_list(person, scope=scope, filters=filters, today=day)
    result = tasks_workbook(
        tasks,
        title=f"Danh sách nhiệm vụ — {scope.label} — {person.full_name}",
        description=f"Điều kiện lọc: {q.describe_filters(filters)}",
        exported_at=moment,
    )
    response = HttpResponse(
        result.content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = f"{timezone.localtime(moment):%Y%m%d-%H%M}"
    response["Content-Disposition"] = f'attachment; filename="nhiem-vu-{scope.value}-{stamp}.xlsx"'
    return response


urlpatterns: list[URLPattern] = [
    path("", task_list, name="task_list"),
    path("xuat-excel/", task_export, name="task_export"),
]
