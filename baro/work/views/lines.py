"""The assignment lines page (/nhiem-vu/tuyen-giao/): which system of units may make which the
lead of a task, and how far (baro.work.lines), as a matrix, with the history of its changes.

Everyone signed in reads it: it explains why an assignment was refused. Changing a line takes
what assignment_line_set takes, asked through line_manager_decision for the edit controls and
the edit page alike; others get the 403 page. A change is confirmed first (before → after): it
changes the rule for every tree at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from baro.core.pages import HtmxRequest, deny_unless, form_command, person_required
from baro.ledger.queries import event_list
from baro.org.history import readable
from baro.org.models import Person, UnitSystem
from baro.work.forms import AssignmentLineForm
from baro.work.lines import current_lines
from baro.work.models import LineReach
from baro.work.permissions import line_manager_decision
from baro.work.services.lines import OBJ_LINE, assignment_line_set

HISTORY_PAGE_SIZE = 20


def _system_label(value: str) -> str:
    return str(UnitSystem(value).label) if value in UnitSystem.values else value


def _reach_label(value: str) -> str:
    return str(LineReach(value).label) if value in LineReach.values else value


def _crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    return [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Tuyến giao nhiệm vụ"), "url": reverse("work:lines")},
        *({"label": label, "url": url} for label, url in extra),
    ]


def _pair_label(assigner: str, lead: str) -> str:
    return f"{_system_label(assigner)} → {_system_label(lead)}"


def _with_changes(events: list[Any]) -> list[Any]:
    """Give each readable event of a line `changes`: (label, before, after) of its reach and,
    when it changed, its note."""
    for event in events:
        payload = event.payload if isinstance(event.payload, dict) else {}
        before, after = payload.get("before") or {}, payload.get("after") or {}
        pair = _pair_label(payload.get("assigner_system", ""), payload.get("lead_system", ""))
        event.changes = [
            (
                _("%(pair)s, phạm vi") % {"pair": pair},
                _reach_label(before.get("reach", "")),
                _reach_label(after.get("reach", "")),
            )
        ]
        if before.get("note", "") != after.get("note", ""):
            event.changes.append(
                (
                    _("%(pair)s, căn cứ") % {"pair": pair},
                    before.get("note") or "—",
                    after.get("note") or "—",
                )
            )
    return events


def _cell_id(assigner: str, lead: str) -> str:
    return f"line-{assigner}-{lead}"


@person_required
def lines_view(request: HtmxRequest, person: Person) -> HttpResponse:
    history = Paginator(event_list(object_type=OBJ_LINE), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    history.object_list = _with_changes(readable(history.object_list))
    if request.htmx and request.GET.get("part") == "history":
        return render(request, "web/_history.html", {"page_obj": history})
    lines = current_lines()
    can_manage = bool(line_manager_decision(person))
    rows = [
        {
            "system": assigner,
            "label": assigner_label,
            "cells": [
                {
                    "id": _cell_id(assigner, lead),
                    "lead_label": lead_label,
                    "reach": lines[(assigner, lead)][0],
                    "reach_label": _reach_label(lines[(assigner, lead)][0]),
                    "note": lines[(assigner, lead)][1],
                    "url": reverse("work:line_edit", args=[assigner, lead]) if can_manage else "",
                }
                for lead, lead_label in UnitSystem.choices
            ],
        }
        for assigner, assigner_label in UnitSystem.choices
    ]
    return render(
        request,
        "work/lines.html",
        {
            "systems": [str(label) for _value, label in UnitSystem.choices],
            "rows": rows,
            "can_manage": can_manage,
            "page_obj": history,
            "breadcrumbs": _crumbs(),
            "nav_active": "lines",
        },
    )


@person_required
def line_edit(request: HtmxRequest, person: Person, assigner: str, lead: str) -> HttpResponse:
    """Change one line: the form, then a confirmation (before → after), then the command. An
    unchanged line needs no confirmation: the command says there is nothing to change."""
    if assigner not in UnitSystem.values or lead not in UnitSystem.values:
        raise Http404(_("Không có tuyến giao nhiệm vụ này."))
    deny_unless(line_manager_decision(person))
    reach_now, note_now = current_lines()[(assigner, lead)]
    back = f"{reverse('work:lines')}#{_cell_id(assigner, lead)}"
    pair = _pair_label(assigner, lead)
    title = _("Điều chỉnh tuyến %(pair)s") % {"pair": pair}
    context: dict[str, Any] = {
        "page_title": title,
        "assigner_label": _system_label(assigner),
        "lead_label": _system_label(lead),
        "reach_now": _reach_label(reach_now),
        "note_now": note_now,
        "cancel_url": back,
        "breadcrumbs": _crumbs((title, "")),
        "nav_active": "lines",
    }
    if request.method != "POST":
        form = AssignmentLineForm(initial={"reach": reach_now, "note": note_now})
        return render(request, "work/line_edit.html", {**context, "form": form})
    form = AssignmentLineForm(request.POST)
    if form.is_valid() and "edit" not in request.POST:
        reach, note = form.cleaned_data["reach"], form.cleaned_data["note"].strip()
        if request.POST.get("confirmed") or (reach, note) == (reach_now, note_now):
            line = form_command(
                form,
                assignment_line_set,
                actor=person,
                assigner_system=assigner,
                lead_system=lead,
                reach=reach,
                note=note,
            )
            if line is not None:
                messages.success(
                    request,
                    _("Đã điều chỉnh tuyến %(pair)s: %(reach)s.")
                    % {"pair": pair, "reach": _reach_label(line.reach)},
                )
                return redirect(back)
        else:
            return render(
                request,
                "work/line_confirm.html",
                {
                    **context,
                    "page_title": _("Xác nhận điều chỉnh tuyến %(pair)s") % {"pair": pair},
                    "question": _(
                        "Anh/chị chắc chắn điều chỉnh tuyến giao nhiệm vụ từ %(a)s đến %(b)s? "
                        "Tuyến áp dụng cho toàn hệ thống: mọi việc giao chủ trì từ nay theo "
                        "tuyến mới."
                    )
                    % {"a": _system_label(assigner), "b": _system_label(lead)},
                    "carry": [("reach", reach), ("note", note)],
                    "confirm_label": _("Xác nhận điều chỉnh"),
                    "note": note,
                    "reach_after": _reach_label(reach),
                    "note_changed": note != note_now,
                },
            )
    return render(
        request,
        "work/line_edit.html",
        {**context, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("tuyen-giao/", lines_view, name="lines"),
    path("tuyen-giao/<slug:assigner>/<slug:lead>/", line_edit, name="line_edit"),
]
