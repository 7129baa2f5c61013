"""The urging ladder's pages ("Thang đôn đốc"): the installation's (an administrator sets it)
and one directive's own (its issuing side sets it), each beside Baro's defaults."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from baro.core.pages import form_command, person_required
from baro.org.models import Person
from baro.oversight import forms, permissions, queries, services
from baro.oversight.ladder import DEFAULT_LADDER, Ladder
from baro.oversight.models import AUTOMATIC_STEPS, LadderStep
from baro.oversight.views.common import crumbs
from baro.work import permissions as work_permissions
from baro.work.models import Directive


def _ladder_rows(ladder: Ladder) -> list[dict[str, Any]]:
    return [
        {"label": label, "value": getattr(ladder, name)}
        for name, label in (
            ("remind_days_before", _("Nhắc cán bộ xử lý trước hạn")),
            ("escalate_head_after", _("Báo người đứng đầu đơn vị chủ trì sau khi quá hạn")),
            (
                "escalate_assigner_head_after",
                _("Báo người đứng đầu đơn vị giao việc sau khi quá hạn"),
            ),
            ("inspection_flag_after", _("Đưa vào diện kiểm tra sau khi quá hạn")),
        )
    ]


def _ladder_page(
    request: HttpRequest,
    person: Person,
    *,
    directive: Directive | None = None,
) -> HttpResponse:
    if directive is None:
        ladder, config = queries.ladder_of_installation()
    else:
        ladder, config = queries.ladder_of_directive(directive)
    form = forms.LadderForm(
        request.POST if request.method == "POST" else None, initial=ladder.as_dict()
    )
    if request.method == "POST" and form.is_valid():
        config = form_command(
            form,
            services.ladder_configure,
            actor=person,
            directive=directive,
            values=form.cleaned_data,
        )
        if config is not None:
            messages.success(request, _("Đã lưu thang đôn đốc."))
            return redirect(request.path)
    if directive is None:
        title = _("Thang đôn đốc chung")
        breadcrumbs = crumbs((title, ""))
    else:
        title = _("Thang đôn đốc của văn bản %(number)s") % {"number": directive.number_symbol}
        breadcrumbs = [
            {"label": _("Trang chủ"), "url": reverse("home")},
            {"label": _("Văn bản chỉ đạo"), "url": reverse("work:directive_list")},
            {
                "label": directive.number_symbol,
                "url": reverse("work:directive_detail", args=[directive.pk]),
            },
            {"label": _("Thang đôn đốc"), "url": ""},
        ]
    return render(
        request,
        "oversight/ladder.html",
        {
            "form": form,
            "page_title": title,
            "directive": directive,
            "config": config,
            "rows": _ladder_rows(ladder),
            "defaults": _ladder_rows(DEFAULT_LADDER),
            "is_default": config is None,
            "installation": queries.ladder_of_installation()[0] if directive else None,
            "steps": [
                str(label) for value, label in LadderStep.choices if value in AUTOMATIC_STEPS
            ],
            "breadcrumbs": breadcrumbs,
            "nav_active": "oversight" if directive is None else "directives",
        },
        status=400 if form.errors else 200,
    )


@person_required
def ladder_installation(request: HttpRequest, person: Person) -> HttpResponse:
    if not permissions.can_configure_installation_ladder(person):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được đặt thang đôn đốc chung."))
    return _ladder_page(request, person)


@person_required
def ladder_directive(request: HttpRequest, person: Person, directive_id: int) -> HttpResponse:
    directive = work_permissions.directive_get_for_actor(actor=person, pk=directive_id)
    if not permissions.can_configure_directive_ladder(person, directive):
        raise PermissionDenied(
            _("Chỉ lãnh đạo, văn thư của %(unit)s được đặt thang đôn đốc cho văn bản này.")
            % {"unit": directive.issuing_unit.name}
        )
    return _ladder_page(request, person, directive=directive)
