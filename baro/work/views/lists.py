"""Task list pages (/nhiem-vu/): the four scopes as tabs, filters, counts, rates, .xlsx export.

Thin views over baro.work.queries.lists: the rows a person sees come only from task_list(), so
the page, its counts and its export can never disagree. Bad filter values come back next to
their field (400) and the list is shown unfiltered below.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property
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
from baro.core.pages import HtmxRequest, person_required
from baro.core.timeutil import now, today
from baro.org.models import Person, Position, Unit
from baro.org.queries import active_on, subtree_q
from baro.work.exports import tasks_workbook
from baro.work.models import Directive, TaskStatus
from baro.work.queries import lists as q
from baro.work.rules import TimingStatus

# How many units and people the filter's drop-downs offer at most (a province has thousands).
CHOICE_LIMIT = 400


def _page_size() -> int:
    return int(getattr(settings, "BARO_PAGE_SIZE", 50))


def _scope(request: HttpRequest, person: Person, scopes: list[q.Scope]) -> q.Scope:
    """The tab asked for; by default "my tasks" when the person has any, else the broadest
    tab they have (a chairman or an inspector rarely handles a task themselves, and an empty
    first page tells them nothing)."""
    asked = request.GET.get("scope", "")
    for scope in scopes:
        if scope == asked:
            return scope
    if len(scopes) == 1 or q.task_list(person, scope=q.Scope.MINE).exists():
        return q.Scope.MINE
    return scopes[-1]


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


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` + 1 rows: a whole city's 445,000 overdue tasks
    are "more than 10,000", and paging stops at the page holding the cap's row (narrow the
    filters, or export, to go further)."""

    def __init__(self, object_list: Any, per_page: int, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return q.count_up_to(self.object_list, self.cap)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


def _count_cap() -> int:
    return int(getattr(settings, "BARO_LIST_COUNT_CAP", 10_000))


def _grid(person: Person, scope: q.Scope, filters: q.TaskFilters) -> dict[str, Any]:
    """The counts per timing status of the scope with the other filters, and both rates."""
    day = today()
    # The counts and rates are of the whole scope with the other filters, not of one timing
    # cell: clicking a cell narrows the list, the grid stays whole.
    grid_filters = replace(filters, timing="")
    counts = q.timing_counts(q.task_list(person, scope=scope, filters=grid_filters, today=day), day)
    return {
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
        "filters": filters,
        "list_path": reverse("work:task_list"),
    }


@require_GET
@person_required
def task_list(request: HttpRequest, person: Person) -> HttpResponse:
    scopes = q.available_scopes(person)
    scope = _scope(request, person, scopes)
    filters, error = _filters(request)
    day = today()
    tasks = q.task_list(person, scope=scope, filters=filters, today=day)
    cap = _count_cap()
    page = CappedPaginator(tasks, _page_size(), cap).get_page(request.GET.get("page"))
    detail_url = _detail_url_maker()
    for task in page.object_list:
        task.detail_url = detail_url(task.pk)
    # The grid counts every task of the scope: over a few thousand that takes from a tenth
    # of a second to half a second (a whole city), so a big scope's grid comes after the page.
    scope_size = q.count_up_to(
        q.task_list(person, scope=scope, filters=replace(filters, timing=""), today=day), cap
    )
    grid = _grid(person, scope, filters) if scope_size <= cap else None
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
            "count_cap": cap,
            "grid": grid,
            "grid_url": f"{reverse('work:task_counts')}?{_query_without(request, 'page')}",
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
def task_counts(request: HtmxRequest, person: Person) -> HttpResponse:
    """The grid of a big list, loaded by the list page after it is shown (htmx), or opened
    as a page of its own without JavaScript."""
    scopes = q.available_scopes(person)
    scope = _scope(request, person, scopes)
    filters, error = _filters(request)
    context = {**_grid(person, scope, filters), "scope": scope}
    if request.htmx:
        return render(request, "work/lists/_timing_grid.html", context)
    return render(
        request,
        "work/lists/task_counts.html",
        {
            **context,
            "filter_description": q.describe_filters(filters),
            "list_url": f"{reverse('work:task_list')}?{request.GET.urlencode()}",
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": _("Nhiệm vụ"), "url": reverse("work:task_list")},
                {"label": _("Số liệu"), "url": ""},
            ],
            "nav_active": "tasks",
        },
        status=400 if error else 200,
    )


@require_GET
@person_required
def task_export(request: HttpRequest, person: Person) -> HttpResponse:
    scopes = q.available_scopes(person)
    scope = _scope(request, person, scopes)
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
    path("so-lieu/", task_counts, name="task_counts"),
    path("xuat-excel/", task_export, name="task_export"),
]
