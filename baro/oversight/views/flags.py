"""The flags' pages ("Dấu hiệu né tránh"): the list an inspector or a head reads, with filters
and counts by status; one flag with its evidence, the confirm / dismiss form (offered exactly to
whom permissions.require_flag_decider allows, confirmed in a second step: it is final) and
"add to an inspection"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baro.core.pages import deny_unless, form_command, person_required
from baro.core.timeutil import format_date
from baro.org.models import Person
from baro.oversight import forms, permissions, queries, services
from baro.oversight.models import Flag, FlagStatus
from baro.oversight.views.common import (
    confirm_page,
    crumbs,
    ledger_url,
    page_size,
    readable_events,
)

# Words for the figures detectors attach to a flag (others are shown by their key; internal
# ids, `*_id` and `*_ids`, are not shown: the evidence links to what they name).
FIGURE_LABELS = {
    "assigned_on": gettext_lazy("Ngày giao"),
    "bounces": gettext_lazy("Số lần từ chối, chuyển"),
    "count": gettext_lazy("Số lần"),
    "counts_as_agreement": gettext_lazy("Coi như đồng ý"),
    "days": gettext_lazy("Số ngày"),
    "days_elapsed": gettext_lazy("Số ngày đã qua"),
    "days_overdue": gettext_lazy("Số ngày quá hạn"),
    "days_total": gettext_lazy("Tổng số ngày thực hiện"),
    "deadline": gettext_lazy("Hạn xử lý"),
    "distinct_units": gettext_lazy("Số đơn vị khác nhau"),
    "due_on": gettext_lazy("Hạn trả lời"),
    "extended": gettext_lazy("Số nhiệm vụ được gia hạn"),
    "extensions": gettext_lazy("Số lần gia hạn"),
    "factor": gettext_lazy("Gấp số lần"),
    "first_deadline": gettext_lazy("Hạn ban đầu"),
    "last_update": gettext_lazy("Cập nhật tiến độ lần cuối"),
    "limit_working_days": gettext_lazy("Thời hạn (ngày làm việc)"),
    "percent": gettext_lazy("Tiến độ (%)"),
    "position": gettext_lazy("Ý kiến"),
    "quarter": gettext_lazy("Quý"),
    "rate": gettext_lazy("Tỷ lệ"),
    "returns": gettext_lazy("Số lần trả lại"),
    "sibling_median": gettext_lazy("Trung vị của các đơn vị cùng cấp"),
    "siblings": gettext_lazy("Số đơn vị cùng cấp"),
    "since": gettext_lazy("Từ ngày"),
    "tasks": gettext_lazy("Số nhiệm vụ"),
    "threshold": gettext_lazy("Ngưỡng"),
    "threshold_units": gettext_lazy("Ngưỡng số đơn vị"),
    "units_consulted": gettext_lazy("Số đơn vị được hỏi"),
    "urgings": gettext_lazy("Số lần đôn đốc"),
    "window_days": gettext_lazy("Khoảng thời gian xét (ngày)"),
    "within_unit_authority": gettext_lazy("Thuộc thẩm quyền của đơn vị"),
    "working_days_waited": gettext_lazy("Số ngày làm việc đã chờ"),
}


def _figures(figures: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in (figures or {}).items():
        if key.endswith(("_id", "_ids")):
            continue
        shown = value
        if isinstance(value, bool):
            shown = _("Có") if value else _("Không")
        elif isinstance(value, str):
            try:
                shown = format_date(dt.date.fromisoformat(value))
            except ValueError:
                shown = value
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        elif isinstance(value, float):
            shown = f"{value:.2f}".rstrip("0").rstrip(".")
        rows.append((str(FIGURE_LABELS.get(key, key)), str(shown)))
    return rows


@person_required
def flag_list(request: HttpRequest, person: Person) -> HttpResponse:
    form = forms.FlagFilterForm(request.GET or None, units=queries.flag_filter_units(person))
    filters = form.filters()
    flags = queries.flag_list(actor=person, filters=filters)
    page = Paginator(flags, page_size()).get_page(request.GET.get("page"))
    counts = queries.flag_status_counts(actor=person, filters=filters)
    base = {k: str(v) for k, v in request.GET.items() if k not in ("status", "page") and v}
    return render(
        request,
        "oversight/flag_list.html",
        {
            "form": form,
            "page_obj": page,
            "counts": [
                {
                    "status": value,
                    "label": label,
                    "count": counts.get(value, 0),
                    "query": urlencode({**base, "status": value}),
                    "current": filters.status == value,
                }
                for value, label in FlagStatus.choices
            ],
            "all_query": urlencode(base),
            "total": sum(counts.values()),
            "sees_flags": permissions.can_see_flags(person),
            "breadcrumbs": crumbs((_("Dấu hiệu né tránh"), "")),
            "nav_active": "oversight",
        },
        status=400 if form.errors else 200,
    )


def _flag_page(
    request: HttpRequest,
    person: Person,
    flag: Flag,
    *,
    decide_form: forms.FlagDecideForm | None = None,
    add_form: forms.FlagToInspectionForm | None = None,
) -> HttpResponse:
    decision = permissions.may_decide_flag(person, flag)
    open_inspections = queries.inspections_open_for_flag(person, flag)
    evidence = queries.flag_evidence(flag)
    events = readable_events([e.event for e in evidence if e.event is not None])
    by_id = {event.pk: event for event in events}
    for item in evidence:
        item.readable_event = by_id.get(item.event_id)  # type: ignore[attr-defined]
    if add_form is None and open_inspections:
        add_form = forms.FlagToInspectionForm(inspections=open_inspections)
    bound = [f for f in (decide_form, add_form) if f is not None and f.is_bound]
    return render(
        request,
        "oversight/flag_detail.html",
        {
            "flag": flag,
            "figures": _figures(flag.figures),
            "evidence": evidence,
            "may_decide": bool(decision),
            "decide_form": decide_form or (forms.FlagDecideForm() if decision else None),
            "add_form": add_form,
            "may_inspect": bool(permissions.may_conduct(person, flag.unit)),
            "open_url": reverse("oversight:inspection_open")
            + "?"
            + urlencode(
                {"unit": flag.unit_id, "flag": flag.pk}
                | ({"person": flag.person_id} if flag.person_id else {})
            ),
            "ledger_read": permissions.can_read_ledger(person),
            "flag_ledger_url": ledger_url(services.OBJ_FLAG, flag.pk),
            "breadcrumbs": _flag_crumbs(flag),
            "nav_active": "oversight",
        },
        status=400 if any(f.errors for f in bound) else 200,
    )


def _flag_crumbs(flag: Flag, *extra: tuple[str, str]) -> list[dict[str, str]]:
    own = reverse("oversight:flag_detail", args=[flag.pk]) if extra else ""
    return crumbs(
        (_("Dấu hiệu né tránh"), reverse("oversight:flag_list")),
        (_("Dấu hiệu #%(id)s") % {"id": flag.pk}, own),
        *extra,
    )


@person_required
def flag_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    return _flag_page(request, person, permissions.flag_get_for_actor(person, pk))


@require_POST
@person_required
def flag_decide(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    flag = permissions.flag_get_for_actor(person, pk)
    deny_unless(permissions.may_decide_flag(person, flag))
    form = forms.FlagDecideForm(request.POST)
    if not form.is_valid():
        return _flag_page(request, person, flag, decide_form=form)
    back = reverse("oversight:flag_detail", args=[flag.pk])
    if request.POST.get("confirmed") != "1":
        verb = _("Xác nhận") if form.confirm else _("Bác bỏ")
        return confirm_page(
            request,
            title=_("%(verb)s dấu hiệu né tránh") % {"verb": verb},
            question=_(
                "Quyết định được ghi vào sổ cái và không sửa được. Anh/chị chắc chắn %(verb)s "
                "dấu hiệu này?"
            )
            % {"verb": verb.lower()},
            facts=[
                (_("Dấu hiệu"), flag.get_kind_display()),
                (_("Đơn vị"), flag.unit.name),
                (_("Mô tả"), flag.summary),
                (_("Lý do"), form.cleaned_data["reason"]),
            ],
            carry=[
                ("decision", form.cleaned_data["decision"]),
                ("reason", form.cleaned_data["reason"]),
            ],
            confirm_label=_("Đồng ý, %(verb)s") % {"verb": verb.lower()},
            cancel_url=back,
            breadcrumbs=_flag_crumbs(flag, (verb, "")),
        )
    decided = form_command(
        form,
        services.flag_decide,
        actor=person,
        flag=flag,
        confirm=form.confirm,
        reason=form.cleaned_data["reason"],
    )
    if decided is None:
        return _flag_page(request, person, flag, decide_form=form)
    messages.success(
        request,
        _("Đã xác nhận dấu hiệu.") if form.confirm else _("Đã bác bỏ dấu hiệu."),
    )
    return redirect(back)


@require_POST
@person_required
def flag_to_inspection(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    flag = permissions.flag_get_for_actor(person, pk)
    candidates = queries.inspections_open_for_flag(person, flag)
    if not candidates and not permissions.may_conduct(person, flag.unit):
        raise PermissionDenied(
            _("Chỉ cán bộ kiểm tra đối với %(unit)s được đưa dấu hiệu vào cuộc kiểm tra.")
            % {"unit": flag.unit.name}
        )
    form = forms.FlagToInspectionForm(request.POST, inspections=candidates)
    if form.is_valid():
        inspection = form.chosen()
        added = form_command(
            form,
            services.inspection_add_evidence,
            aliases={"flag": "inspection"},
            actor=person,
            inspection=inspection,
            flag=flag,
            note=form.cleaned_data["note"],
        )
        if added is not None:
            messages.success(
                request,
                _("Đã đưa dấu hiệu vào cuộc kiểm tra “%(title)s”.") % {"title": inspection.title},
            )
            return redirect("oversight:inspection_detail", inspection.pk)
    return _flag_page(request, person, flag, add_form=form)
