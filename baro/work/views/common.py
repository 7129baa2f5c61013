"""What the pages of directives and tasks share: the task as a page reads it, the task's address
and breadcrumbs, the lines that say which task a page is about, and the two shapes of a command
page (a form, a confirmation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from baro.core.timeutil import format_date, today
from baro.org import queries as org_queries
from baro.org.models import Unit
from baro.work.models import Task
from baro.workdays.calendar import WEEKDAY_NAMES

# What the task page and the command pages read of a task beside its units.
TASK_PAGE_RELATED = ("assigner", "officer", "directive", "group", "parent")


def active_subtree_of(units: list[Unit]) -> list[Unit]:
    """Every active unit under (and including) `units`, in tree order."""
    if not units:
        return []
    condition = Q()
    for unit in units:
        condition |= org_queries.subtree_q(unit.path)
    day = today()
    return list(
        Unit.objects.filter(condition)
        .filter(org_queries.active_on(day))
        .order_by("path")
        .distinct()
    )


def task_url(pk: int) -> str:
    return reverse("work:task_detail", args=[pk])


def crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    """Home, the directives, then `extra` as (label, url) pairs."""
    items = [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Văn bản chỉ đạo"), "url": reverse("work:directive_list")},
    ]
    items.extend({"label": label, "url": url} for label, url in extra)
    return items


def task_crumbs(task: Task, *extra: str) -> list[dict[str, str]]:
    items: list[tuple[str, str]] = []
    if task.directive is not None:
        items.append(
            (
                task.directive.number_symbol,
                reverse("work:directive_detail", args=[task.directive_id]),
            )
        )
    items.append((shorten(task.title), task_url(task.pk)))
    items.extend((label, "") for label in extra)
    return crumbs(*items)


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def day_label(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {format_date(day)}"


def task_facts(task: Task) -> list[tuple[str, str]]:
    """The few lines that say which task a command page is about."""
    facts = [
        (_("Nhiệm vụ"), task.title),
        (_("Đơn vị chủ trì"), task.lead_unit.name),
        (_("Trạng thái"), task.get_status_display()),
        (_("Hạn xử lý"), day_label(task.deadline)),
    ]
    if task.officer is not None:
        facts.insert(2, (_("Cán bộ xử lý"), task.officer.full_name))
    return facts


def command_form_page(
    request: HttpRequest,
    task: Task,
    form: Any,
    *,
    title: str,
    submit_label: str,
    intro: str = "",
    facts: list[tuple[str, str]] | None = None,
    danger: bool = False,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page of a command's form; `extra` adds to what its template reads (the submitted
    result and the silent coordinators on the approval page)."""
    return render(
        request,
        "work/task_command.html",
        {
            **(extra or {}),
            "task": task,
            "form": form,
            "page_title": title,
            "intro": intro,
            "facts": facts if facts is not None else task_facts(task),
            "submit_label": submit_label,
            "cancel_url": task_url(task.pk),
            "danger": danger,
            "breadcrumbs": task_crumbs(task, title),
            "nav_active": "tasks",
        },
        status=400 if form.errors else 200,
    )


def confirm_page(
    request: HttpRequest,
    task: Task,
    *,
    title: str,
    question: str,
    facts: list[tuple[str, str]],
    confirm_label: str,
    carry: list[tuple[str, str]],
) -> HttpResponse:
    return render(
        request,
        "web/confirm.html",
        {
            "page_title": title,
            "question": question,
            "facts": facts,
            "carry": carry,
            "confirm_label": confirm_label,
            "cancel_url": task_url(task.pk),
            "breadcrumbs": task_crumbs(task, title),
            "nav_active": "tasks",
        },
    )
