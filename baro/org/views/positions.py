"""The registry's position pages: appoint someone in a unit, replace its head, end a position.

Each page fetches the unit (or the position) through its `*_get_for_actor` (the 404 page for
what the person may not see), refuses without registry.manage over the unit (the 403 page), then
runs one command through form_command.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from baro.core.pages import deny_unless, form_command, next_url, person_required
from baro.core.timeutil import format_date, today
from baro.org import forms
from baro.org import queries as org_queries
from baro.org import services as org_services
from baro.org.models import Person
from baro.org.permissions import may_manage, position_get_for_actor, unit_get_for_actor
from baro.org.views._shared import carry, crumbs, form_page, unit_url


@person_required
def position_appoint(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = unit_get_for_actor(person, pk)
    deny_unless(may_manage(person, unit))
    form = forms.PositionAppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        position = form_command(
            form,
            org_services.position_appoint,
            actor=person,
            person=data["person"],
            unit=unit,
            role=data["role"],
            title=data["title"],
            valid_from=data["valid_from"],
            decision_ref=data["decision_ref"],
        )
        if position is not None:
            messages.success(
                request,
                _("Đã bổ nhiệm %(name)s: %(role)s.")
                % {"name": position.person.full_name, "role": position.get_role_display()},
            )
            return redirect(unit_url(unit))
    return form_page(
        request,
        form,
        title=_("Bổ nhiệm chức vụ"),
        unit=unit,
        cancel_url=unit_url(unit),
        submit_label=_("Bổ nhiệm"),
    )


@person_required
def head_replace(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = unit_get_for_actor(person, pk)
    deny_unless(may_manage(person, unit))
    current = org_queries.unit_head(unit)
    form = forms.HeadReplaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        position = form_command(
            form,
            org_services.head_replace,
            actor=person,
            unit=unit,
            person=data["person"],
            title=data["title"],
            on=data["on"],
            decision_ref=data["decision_ref"],
        )
        if position is not None:
            messages.success(
                request,
                _("%(name)s là người đứng đầu %(unit)s.")
                % {"name": position.person.full_name, "unit": unit.name},
            )
            return redirect(unit_url(unit))
    if current is not None:
        intro = _(
            "Người đứng đầu hiện tại: %(name)s. Người này sẽ thôi giữ chức từ ngày đã chọn."
        ) % {"name": current.person.full_name}
    else:
        intro = _("Đơn vị đang khuyết người đứng đầu.")
    return form_page(
        request,
        form,
        title=_("Bổ nhiệm người đứng đầu") if current is None else _("Thay người đứng đầu"),
        unit=unit,
        cancel_url=unit_url(unit),
        submit_label=_("Bổ nhiệm"),
        intro=intro,
    )


@person_required
def position_end(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    position = position_get_for_actor(person, pk)
    unit = position.unit
    deny_unless(may_manage(person, unit))
    back = next_url(request, unit_url(unit))
    form = forms.PositionEndForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirmed") == "1":
            ended = form_command(
                form,
                org_services.position_end,
                actor=person,
                position=position,
                on=data["on"],
                reason=data["reason"],
            )
            if ended is not None:
                messages.success(
                    request,
                    _("%(name)s thôi giữ chức từ ngày %(day)s.")
                    % {"name": position.person.full_name, "day": format_date(data["on"])},
                )
                return redirect(back)
        else:
            return render(
                request,
                "web/confirm.html",
                {
                    "page_title": _("Xác nhận cho thôi giữ chức vụ"),
                    "question": _("Anh/chị chắc chắn cho %(name)s thôi giữ chức vụ này?")
                    % {"name": position.person.full_name},
                    "facts": [
                        (_("Cán bộ"), position.person.full_name),
                        (_("Chức vụ"), position.title or position.get_role_display()),
                        (_("Đơn vị"), unit.name),
                        (_("Từ ngày"), format_date(data["on"])),
                        (_("Lý do"), data["reason"]),
                    ],
                    "carry": carry(form),
                    "confirm_label": _("Xác nhận thôi giữ chức"),
                    "cancel_url": back,
                    "breadcrumbs": crumbs(unit, _("Thôi giữ chức vụ")),
                },
            )
    return form_page(
        request,
        form,
        title=_("Thôi giữ chức vụ"),
        unit=unit,
        cancel_url=back,
        submit_label=_("Tiếp tục"),
        intro=f"{position.person.full_name} — {position.title or position.get_role_display()}",
    )
