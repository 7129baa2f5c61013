"""Pages of oversight (/giam-sat/): thin views over baro.oversight.queries and services.

- "Dấu hiệu né tránh": the flags an inspector or a head may read, with filters and counts; a
  flag's page with its evidence, the confirm / dismiss form (offered exactly to whom
  services.require_flag_decider allows) and "add to an inspection";
- "Kiểm tra": inspections, planning one, and one page per inspection with its evidence,
  findings, conclusion (confirmed in a second step: it is final) and handling decisions;
- "Hồ sơ trách nhiệm": a head's record of inspections, handling decisions, flags and urgings;
- the third panel of the task page ("rõ kết quả kiểm tra, đôn đốc, xử lý"), an htmx fragment
  the work task page loads by its URL (work does not import oversight), with "Đôn đốc";
- "Công văn đôn đốc": composing, reading and downloading urging letters (.docx, .pdf);
- "Thang đôn đốc": the ladder of the installation and of one directive.

Who may see is decided by the queries (anything else is a 404); who may act by the services
(a refusal of authority is the 403 page with its reason, bad input goes back next to its field
with status 400, and nothing changes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from baro.core.errors import AuthorityError, DomainError, NotFoundError
from baro.core.ids import id_from_text
from baro.core.pages import attach_error, person_required
from baro.core.timeutil import format_date, today
from baro.org import authority
from baro.org.authority import Power
from baro.org.history import readable
from baro.org.models import Person, Position, Role, Unit
from baro.org.queries import active_on, subtree_q
from baro.oversight import forms, queries, services
from baro.oversight.ladder import DEFAULT_LADDER
from baro.oversight.models import (
    Flag,
    FlagStatus,
    HandlingMeasure,
    Inspection,
    InspectionStatus,
    LadderStep,
)
from baro.work.models import Task
from baro.work.queries import detail

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

SUBJECT = gettext_lazy("V/v đôn đốc thực hiện nhiệm vụ được giao")
CLOSING = gettext_lazy(
    "Đề nghị các đơn vị khẩn trương tập trung chỉ đạo, hoàn thành dứt điểm các nhiệm vụ nêu "
    "trên; làm rõ nguyên nhân chậm trễ và trách nhiệm của tập thể, cá nhân, người đứng đầu có "
    "liên quan."
)


# --------------------------------------------------------------------------------------------
# helpers


def _page_size() -> int:
    return int(getattr(settings, "BARO_PAGE_SIZE", 50))


def _crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    return [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Giám sát"), "url": reverse("oversight:index")},
        *({"label": label, "url": url} for label, url in extra),
    ]


def _refused(form: Any, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form; a refusal of authority is the 403 page."""
    if isinstance(error, AuthorityError):
        raise PermissionDenied(error.message)
    attach_error(form, error, aliases)


def _found(get: Any, **kwargs: Any) -> Any:
    try:
        return get(**kwargs)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _task_url(task_id: int) -> str:
    return reverse("work:task_detail", args=[task_id])


def _ledger_url(object_type: str, object_id: str | int) -> str:
    query = urlencode({"object_type": object_type, "object_id": object_id})
    return f"{reverse('ledger:index')}?{query}"


def _readable(events: list[Any]) -> list[Any]:
    rows = readable(events)
    for event in rows:
        event.ledger_url = _ledger_url(event.object_type, event.object_id)
    return rows


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


def _confirm(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    facts: list[tuple[str, str]],
    carry: list[tuple[str, str]],
    confirm_label: str,
    cancel_url: str,
    crumbs: list[dict[str, str]],
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
            "cancel_url": cancel_url,
            "breadcrumbs": crumbs,
            "nav_active": "oversight",
        },
    )


# --------------------------------------------------------------------------------------------
# the index


@person_required
def index(request: HttpRequest, person: Person) -> HttpResponse:
    sees_flags = queries.can_see_flags(person)
    return render(
        request,
        "oversight/index.html",
        {
            "sees_flags": sees_flags,
            "flag_counts": queries.flag_status_counts(actor=person) if sees_flags else {},
            "planned": queries.inspection_list(
                actor=person, filters=queries.InspectionFilters(status=InspectionStatus.PLANNED)
            ).count(),
            "concluded": queries.inspection_list(
                actor=person,
                filters=queries.InspectionFilters(status=InspectionStatus.CONCLUDED),
            ).count(),
            "sees_inspections": queries.can_see_inspections(person),
            "may_inspect": bool(queries.scope_roots(person, Power.INSPECTION_CONDUCT)),
            "letter_units": queries.letter_units(person),
            "letter_count": queries.letter_list(actor=person).count(),
            "may_configure": queries.can_configure_installation_ladder(person),
            "is_head": Position.objects.filter(
                active_on(today()), person=person, role=Role.HEAD
            ).exists(),
            "breadcrumbs": [*_crumbs()[:-1], {"label": _("Giám sát"), "url": ""}],
            "nav_active": "oversight",
        },
    )


# --------------------------------------------------------------------------------------------
# flags


@person_required
def flag_list(request: HttpRequest, person: Person) -> HttpResponse:
    form = forms.FlagFilterForm(request.GET or None, units=queries.flag_filter_units(person))
    filters = form.filters()
    flags = queries.flag_list(actor=person, filters=filters)
    page = Paginator(flags, _page_size()).get_page(request.GET.get("page"))
    counts = queries.flag_status_counts(actor=person, filters=filters)
    base = {k: v for k, v in request.GET.items() if k not in ("status", "page") and v}
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
            "sees_flags": queries.can_see_flags(person),
            "breadcrumbs": _crumbs((_("Dấu hiệu né tránh"), "")),
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
    decision = queries.flag_decision(person, flag)
    open_inspections = queries.inspections_open_for_flag(person, flag)
    evidence = queries.flag_evidence(flag)
    events = _readable([e.event for e in evidence if e.event is not None])
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
            "may_inspect": bool(queries.may_conduct(person, flag.unit)),
            "open_url": reverse("oversight:inspection_open")
            + "?"
            + urlencode(
                {"unit": flag.unit_id, "flag": flag.pk}
                | ({"person": flag.person_id} if flag.person_id else {})
            ),
            "ledger_read": bool(authority.holds_anywhere(person, Power.LEDGER_READ)),
            "flag_ledger_url": _ledger_url(services.OBJ_FLAG, flag.pk),
            "breadcrumbs": _crumbs(
                (_("Dấu hiệu né tránh"), reverse("oversight:flag_list")),
                (_("Dấu hiệu #%(id)s") % {"id": flag.pk}, ""),
            ),
            "nav_active": "oversight",
        },
        status=400 if any(f.errors for f in bound) else 200,
    )


@person_required
def flag_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    return _flag_page(request, person, _found(queries.flag_get, actor=person, pk=pk))


@require_POST
@person_required
def flag_decide(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    flag = _found(queries.flag_get, actor=person, pk=pk)
    decision = queries.flag_decision(person, flag)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = forms.FlagDecideForm(request.POST)
    if not form.is_valid():
        return _flag_page(request, person, flag, decide_form=form)
    back = reverse("oversight:flag_detail", args=[flag.pk])
    if request.POST.get("confirmed") != "1":
        verb = _("Xác nhận") if form.confirm else _("Bác bỏ")
        return _confirm(
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
            crumbs=_crumbs(
                (_("Dấu hiệu né tránh"), reverse("oversight:flag_list")),
                (_("Dấu hiệu #%(id)s") % {"id": flag.pk}, back),
                (verb, ""),
            ),
        )
    try:
        services.flag_decide(
            actor=person, flag=flag, confirm=form.confirm, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        _refused(form, error)
        return _flag_page(request, person, flag, decide_form=form)
    messages.success(
        request,
        _("Đã xác nhận dấu hiệu.") if form.confirm else _("Đã bác bỏ dấu hiệu."),
    )
    return redirect(back)


@require_POST
@person_required
def flag_to_inspection(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    flag = _found(queries.flag_get, actor=person, pk=pk)
    candidates = queries.inspections_open_for_flag(person, flag)
    if not candidates and not queries.may_conduct(person, flag.unit):
        raise PermissionDenied(
            _("Chỉ cán bộ kiểm tra đối với %(unit)s được đưa dấu hiệu vào cuộc kiểm tra.")
            % {"unit": flag.unit.name}
        )
    form = forms.FlagToInspectionForm(request.POST, inspections=candidates)
    if form.is_valid():
        inspection = form.chosen()
        try:
            services.inspection_add_evidence(
                actor=person, inspection=inspection, flag=flag, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            _refused(form, error, {"flag": "inspection"})
        else:
            messages.success(
                request,
                _("Đã đưa dấu hiệu vào cuộc kiểm tra “%(title)s”.") % {"title": inspection.title},
            )
            return redirect("oversight:inspection_detail", inspection.pk)
    return _flag_page(request, person, flag, add_form=form)


# --------------------------------------------------------------------------------------------
# inspections


@person_required
def inspection_list(request: HttpRequest, person: Person) -> HttpResponse:
    form = forms.InspectionFilterForm(
        request.GET or None,
        units=queries.inspection_filter_units(person),
        years=queries.inspection_years(person),
    )
    inspections = queries.inspection_list(actor=person, filters=form.filters())
    page = Paginator(inspections, _page_size()).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/inspection_list.html",
        {
            "form": form,
            "page_obj": page,
            "may_open": bool(queries.scope_roots(person, Power.INSPECTION_CONDUCT)),
            "breadcrumbs": _crumbs((_("Kiểm tra"), "")),
            "nav_active": "oversight",
        },
        status=400 if form.errors else 200,
    )


def _target_unit(person: Person, raw: str | None) -> Unit | None:
    """A unit `person` may inspect, from a query or form value; None if not one."""
    try:
        unit = Unit.objects.filter(pk=int(raw or "")).first()
    except ValueError:
        return None
    if unit is None or not queries.may_conduct(person, unit):
        return None
    return unit


@person_required
def inspection_open(request: HttpRequest, person: Person) -> HttpResponse:
    units = queries.inspection_target_units(person)
    if not units:
        raise PermissionDenied(
            _("%(name)s không có thẩm quyền kiểm tra đơn vị nào.") % {"name": person.full_name}
        )
    data = request.POST if request.method == "POST" else None
    chosen = _target_unit(
        person, (data or request.GET).get("target_unit") or request.GET.get("unit")
    )
    if chosen is not None and chosen.pk not in {u.pk for u in units}:
        units = sorted([*units, chosen], key=lambda u: u.path)
    people = queries.inspection_people(chosen) if chosen else []
    flag_id = request.GET.get("flag", "")
    initial: dict[str, Any] = {
        "period_from": dt.date(today().year, 1, 1),
        "period_to": today(),
    }
    if chosen is not None:
        initial["target_unit"] = chosen.pk
        initial["title"] = _("Kiểm tra việc thực hiện nhiệm vụ được giao tại %(unit)s") % {
            "unit": chosen.name
        }
    person_id = id_from_text(request.GET.get("person", ""))
    if person_id is not None:
        initial["target_person"] = person_id
    form = forms.InspectionOpenForm(data, units=units, people=people, initial=initial)
    if data is not None and form.is_valid():
        try:
            inspection = services.inspection_open(actor=person, **form.values())
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request, _("Đã lập kế hoạch kiểm tra “%(title)s”.") % {"title": inspection.title}
            )
            target = reverse("oversight:inspection_detail", args=[inspection.pk])
            if id_from_text(flag_id) is not None:
                target += f"?dau-hieu={flag_id}#evidence"
            return redirect(target)
    title = _("Lập kế hoạch kiểm tra")
    return render(
        request,
        "oversight/inspection_open.html",
        {
            "form": form,
            "page_title": title,
            "cancel_url": reverse("oversight:inspection_list"),
            "breadcrumbs": _crumbs(
                (_("Kiểm tra"), reverse("oversight:inspection_list")), (title, "")
            ),
            "nav_active": "oversight",
        },
        status=400 if form.errors else 200,
    )


@require_GET
@person_required
def inspection_people_options(request: HttpRequest, person: Person) -> HttpResponse:
    """The person field of the planning form for the chosen unit (htmx)."""
    unit = _target_unit(person, request.GET.get("target_unit"))
    people = queries.inspection_people(unit) if unit else []
    units = [unit] if unit else []
    form = forms.InspectionOpenForm(units=units, people=people)
    return render(request, "oversight/_person_field.html", {"field": form["target_person"]})


def _inspection_page(
    request: HttpRequest,
    person: Person,
    inspection: Inspection,
    **bound: Any,
) -> HttpResponse:
    may_conduct = bool(queries.may_conduct(person, inspection.target_unit))
    planned = inspection.status == InspectionStatus.PLANNED
    context: dict[str, Any] = {
        "inspection": inspection,
        "evidence": queries.inspection_evidence(inspection),
        "handlings": queries.inspection_handlings(inspection),
        "may_conduct": may_conduct,
        "planned": planned,
        "breadcrumbs": _crumbs(
            (_("Kiểm tra"), reverse("oversight:inspection_list")),
            (inspection.title if len(inspection.title) < 60 else inspection.title[:59] + "…", ""),
        ),
        "nav_active": "oversight",
    }
    if may_conduct:
        if planned:
            flag_id = id_from_text(request.GET.get("dau-hieu", ""))
            context["evidence_form"] = bound.get("evidence_form") or forms.EvidenceForm(
                flags=queries.evidence_flag_candidates(inspection),
                initial={"flag": flag_id} if flag_id is not None else None,
            )
            context["findings_form"] = bound.get("findings_form") or forms.FindingsForm(
                initial={"findings": inspection.findings}
            )
            context["conclude_form"] = bound.get("conclude_form") or forms.ConcludeForm()
            text = request.GET.get("tim", "").strip()
            context["search_text"] = text
            if text:
                context["found_tasks"] = _task_search(inspection, text)
        context["handling_form"] = bound.get("handling_form") or _handling_form(inspection)
    errors = any(getattr(f, "errors", None) for f in bound.values())
    return render(
        request, "oversight/inspection_detail.html", context, status=400 if errors else 200
    )


def _task_search(inspection: Inspection, text: str) -> list[Task]:
    """Tasks the inspected unit led or assigned whose title (or number) matches `text`."""
    path = inspection.target_unit.path
    qs = Task.objects.filter(
        subtree_q(path, prefix="lead_unit__") | subtree_q(path, prefix="assigning_unit__")
    ).select_related("lead_unit")
    task_id = id_from_text(text.lstrip("#"))
    qs = qs.filter(pk=task_id) if task_id is not None else qs.filter(title__icontains=text)
    return list(qs.order_by("deadline", "pk")[:20])


def _handling_form(inspection: Inspection, data: Any = None) -> forms.HandlingForm:
    unit = inspection.target_unit
    units = list(Unit.objects.filter(subtree_q(unit.path)).order_by("path")[: queries.CHOICE_LIMIT])
    initial = {"document_date": today()}
    if inspection.target_person_id:
        initial["person"] = inspection.target_person_id
    return forms.HandlingForm(
        data, people=queries.inspection_people(unit), units=units, initial=initial
    )


def _conducted(person: Person, pk: int) -> Inspection:
    inspection = _found(queries.inspection_get, actor=person, pk=pk)
    decision = queries.may_conduct(person, inspection.target_unit)
    if not decision:
        raise PermissionDenied(decision.reason)
    return inspection


@person_required
def inspection_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    return _inspection_page(request, person, _found(queries.inspection_get, actor=person, pk=pk))


def _back(inspection: Inspection, anchor: str = "") -> str:
    return reverse("oversight:inspection_detail", args=[inspection.pk]) + anchor


def _concluded(request: HttpRequest, inspection: Inspection) -> HttpResponse | None:
    """Back to the page with the reason when a stale page posts to a concluded inspection
    (the service refuses it too; its forms are no longer on the page to carry the message)."""
    if inspection.status != InspectionStatus.CONCLUDED:
        return None
    messages.error(request, _("Cuộc kiểm tra đã kết luận; không sửa được nữa."))
    return redirect(_back(inspection))


@require_POST
@person_required
def inspection_evidence(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    inspection = _conducted(person, pk)
    if (stale := _concluded(request, inspection)) is not None:
        return stale
    form = forms.EvidenceForm(request.POST, flags=queries.evidence_flag_candidates(inspection))
    if form.is_valid():
        task = None
        task_id = form.cleaned_data.get("task")
        if task_id is not None:
            try:
                task = detail.task_get_for_actor(
                    actor=person, pk=task_id, related=("assigning_unit", "lead_unit")
                )
            except NotFoundError:
                form.add_error("task", _("Không tìm thấy nhiệm vụ số %(id)s.") % {"id": task_id})
        if not form.errors:
            try:
                services.inspection_add_evidence(
                    actor=person,
                    inspection=inspection,
                    flag=form.chosen_flag(),
                    task=task,
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Đã bổ sung chứng cứ."))
                return redirect(_back(inspection, "#evidence"))
    return _inspection_page(request, person, inspection, evidence_form=form)


@require_POST
@person_required
def inspection_findings(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    inspection = _conducted(person, pk)
    if (stale := _concluded(request, inspection)) is not None:
        return stale
    form = forms.FindingsForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_record_findings(
                actor=person, inspection=inspection, findings=form.cleaned_data["findings"]
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã ghi kết quả kiểm tra."))
            return redirect(_back(inspection, "#findings"))
    return _inspection_page(request, person, inspection, findings_form=form)


@require_POST
@person_required
def inspection_conclude(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    inspection = _conducted(person, pk)
    if (stale := _concluded(request, inspection)) is not None:
        return stale
    form = forms.ConcludeForm(request.POST)
    if form.is_valid() and not inspection.findings:
        # The service says the same; said here before the confirmation step, not after it.
        form.add_error(
            "conclusion", _("Chưa ghi kết quả kiểm tra; ghi kết quả trước khi kết luận.")
        )
    if form.is_valid():
        if request.POST.get("confirmed") != "1":
            back = _back(inspection)
            return _confirm(
                request,
                title=_("Kết luận kiểm tra"),
                question=_(
                    "Kết luận là quyết định cuối cùng: sau khi kết luận, cuộc kiểm tra không sửa "
                    "được kết quả, không bổ sung chứng cứ được nữa. Anh/chị chắc chắn?"
                ),
                facts=[
                    (_("Cuộc kiểm tra"), inspection.title),
                    (_("Đơn vị được kiểm tra"), inspection.target_unit.name),
                    (_("Kết luận"), form.cleaned_data["conclusion"]),
                ],
                carry=[("conclusion", form.cleaned_data["conclusion"])],
                confirm_label=_("Đồng ý, kết luận"),
                cancel_url=back,
                crumbs=_crumbs(
                    (_("Kiểm tra"), reverse("oversight:inspection_list")),
                    (inspection.title[:60], back),
                    (_("Kết luận"), ""),
                ),
            )
        try:
            services.inspection_conclude(
                actor=person, inspection=inspection, conclusion=form.cleaned_data["conclusion"]
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã kết luận cuộc kiểm tra."))
            return redirect(_back(inspection))
    return _inspection_page(request, person, inspection, conclude_form=form)


@require_POST
@person_required
def inspection_handling(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    inspection = _conducted(person, pk)
    form = _handling_form(inspection, request.POST)
    if form.is_valid():
        try:
            handling = services.handling_decide(
                actor=person, inspection=inspection, **form.values()
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi quyết định xử lý: %(measure)s, văn bản số %(number)s.")
                % {
                    "measure": HandlingMeasure(handling.measure).label,
                    "number": handling.document_number,
                },
            )
            return redirect(_back(inspection, "#handlings"))
    return _inspection_page(request, person, inspection, handling_form=form)


# --------------------------------------------------------------------------------------------
# the responsibility record


def _record_page(request: HttpRequest, person: Person, subject: Person) -> HttpResponse:
    record = queries.responsibility_record(subject)
    own = subject.pk == person.pk
    title = (
        _("Hồ sơ trách nhiệm")
        if own
        else _("Hồ sơ trách nhiệm: %(name)s") % {"name": subject.full_name}
    )
    return render(
        request,
        "oversight/record.html",
        {
            "record": record,
            "subject": subject,
            "own": own,
            "page_title": title,
            "breadcrumbs": _crumbs((title, "")),
            "nav_active": "oversight",
        },
    )


@person_required
def record(request: HttpRequest, person: Person) -> HttpResponse:
    return _record_page(request, person, person)


@person_required
def record_of(request: HttpRequest, person: Person, person_id: int) -> HttpResponse:
    subject = Person.objects.filter(pk=person_id, is_system=False).first()
    if subject is None or not queries.record_viewable(person, subject):
        raise Http404(_("Không tìm thấy hồ sơ."))
    return _record_page(request, person, subject)


# --------------------------------------------------------------------------------------------
# the task page's third panel


def _visible_task(person: Person, task_id: int) -> Task:
    return _found(
        detail.task_get_for_actor, actor=person, pk=task_id, related=("officer", "directive")
    )


@require_GET
@person_required
def task_panel(request: HttpRequest, person: Person, task_id: int) -> HttpResponse:
    task = _visible_task(person, task_id)
    context = {
        "o": queries.task_oversight(actor=person, task=task),
        "task": task,
        "may_urge": bool(queries.may_urge(person, task)),
        "urge_form": forms.UrgeForm(),
        "today": today(),
        "breadcrumbs": _crumbs((task.title[:60], _task_url(task.pk)), (_("Đôn đốc, kiểm tra"), "")),
        "nav_active": "oversight",
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "oversight/task_panel.html#panel", context)
    return render(request, "oversight/task_panel.html", context)


@person_required
def task_urge(request: HttpRequest, person: Person, task_id: int) -> HttpResponse:
    task = _visible_task(person, task_id)
    decision = queries.may_urge(person, task)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = forms.UrgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_urge(actor=person, task=task, note=form.cleaned_data["note"])
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã đôn đốc nhiệm vụ."))
            return redirect(_task_url(task.pk))
    title = _("Đôn đốc nhiệm vụ")
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "page_title": title,
            "intro": _(
                "Đôn đốc “%(title)s” (%(unit)s, hạn %(deadline)s). Cán bộ xử lý và người đứng "
                "đầu đơn vị chủ trì được thông báo; lần đôn đốc được tính vào kết quả của đơn vị."
            )
            % {
                "title": task.title,
                "unit": task.lead_unit.name,
                "deadline": format_date(task.deadline),
            },
            "cancel_url": _task_url(task.pk),
            "submit_label": _("Đôn đốc"),
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": task.title[:60], "url": _task_url(task.pk)},
                {"label": title, "url": ""},
            ],
            "nav_active": "tasks",
        },
        status=400 if form.errors else 200,
    )


# --------------------------------------------------------------------------------------------
# urging letters


@person_required
def letter_list(request: HttpRequest, person: Person) -> HttpResponse:
    units = queries.letter_units(person)
    form = forms.LetterFilterForm(
        request.GET or None,
        units=queries.letter_filter_units(person),
    )
    letters = queries.letter_list(actor=person, filters=form.filters())
    page = Paginator(letters, _page_size()).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/letter_list.html",
        {
            "form": form,
            "page_obj": page,
            "may_issue": bool(units),
            "breadcrumbs": _crumbs((_("Công văn đôn đốc"), "")),
            "nav_active": "oversight",
        },
        status=400 if form.errors else 200,
    )


def _chosen_letter_unit(units: list[Unit], raw: str | None) -> Unit:
    by_id = {u.pk: u for u in units}
    try:
        return by_id[int(raw or "")]
    except (KeyError, ValueError):
        return units[0]


def _signer_defaults(unit: Unit, signer: Person) -> dict[str, str]:
    """The mark and position a signer of `unit` prints: a deputy signs "KT." for the head."""
    own = (
        Position.objects.filter(active_on(today()), unit=unit, person=signer)
        .order_by("role")
        .first()
    )
    if own is None:
        return {"signer_mark": "", "signer_authority": "", "signer_position": ""}
    position = (own.title or own.get_role_display()).upper()
    if own.role == Role.DEPUTY:
        head = (
            Position.objects.filter(active_on(today()), unit=unit, role=Role.HEAD)
            .order_by("-valid_from")
            .first()
        )
        head_title = (head.title if head and head.title else _("Người đứng đầu")).upper()
        return {"signer_mark": "KT.", "signer_authority": head_title, "signer_position": position}
    return {"signer_mark": "", "signer_authority": "", "signer_position": position}


def _recipients_default(tasks: list[Task]) -> str:
    names: list[str] = []
    for task in tasks:
        if task.lead_unit.name not in names:
            names.append(task.lead_unit.name)
    return "\n".join([*(f"- {n};" for n in names), "- Lưu: VT."])


@person_required
def letter_compose(request: HttpRequest, person: Person) -> HttpResponse:
    units = queries.letter_units(person)
    if not units:
        raise PermissionDenied(
            _("%(name)s không phải lãnh đạo đơn vị nào, không ban hành được công văn đôn đốc.")
            % {"name": person.full_name}
        )
    data = request.POST if request.method == "POST" else None
    source = data if data is not None else request.GET
    unit = _chosen_letter_unit(units, source.get("issuing_unit") or request.GET.get("unit"))
    # No form cleans this search box: drop NUL, which PostgreSQL cannot compare.
    text = (source.get("q") or "").replace("\x00", "").strip()
    every_open = source.get("tat-ca") == "1"
    listed = list(
        queries.letter_candidate_tasks(unit, text=text, overdue_only=not every_open)[
            : queries.CHOICE_LIMIT
        ]
    )
    capped = len(listed) == queries.CHOICE_LIMIT
    if data is not None:
        posted = [pk for pk in map(id_from_text, data.getlist("tasks")) if pk is not None]
        known = {t.pk for t in listed}
        listed += list(
            queries.letter_candidate_tasks(unit, overdue_only=False).filter(
                pk__in=[pk for pk in posted if pk not in known]
            )
        )
    signers = queries.letter_signers(unit, person)
    day = today()
    initial: dict[str, Any] = {
        "issuing_unit": unit.pk,
        "tasks": [str(t.pk) for t in listed] if not text else [],
        "number_symbol": queries.next_letter_number(unit, day),
        "place": queries.default_letter_place(unit),
        "issued_on": day,
        "subject": SUBJECT,
        "opening": queries.default_letter_opening(listed, unit),
        "closing": CLOSING,
        "reply_by": forms.default_reply_by(day),
        "signer": signers[0][0].pk if signers else None,
        "recipients": _recipients_default(listed),
        **(_signer_defaults(unit, signers[0][0]) if signers else {}),
    }
    form = forms.LetterForm(data, tasks=listed, signers=signers, initial=initial)
    if data is not None and form.is_valid():
        signer = form.signer_rows[int(form.cleaned_data["signer"])]
        draft = services.LetterDraft(
            issuing_unit=unit,
            number_symbol=form.cleaned_data["number_symbol"],
            place=form.cleaned_data["place"],
            issued_on=form.cleaned_data["issued_on"],
            subject=form.cleaned_data["subject"],
            opening=form.cleaned_data["opening"],
            closing=form.cleaned_data["closing"],
            reply_by=form.cleaned_data["reply_by"],
            signer=signer,
            signer_mark=form.signer_mark_text(),
            signer_position=form.cleaned_data["signer_position"],
            recipients=form.cleaned_data["recipients"],
        )
        try:
            letter = services.urging_letter_issue(
                actor=person, draft=draft, tasks=form.chosen_tasks()
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Đã ban hành công văn đôn đốc số %(number)s.") % {"number": letter.number_symbol},
            )
            return redirect("oversight:letter_detail", letter.pk)
    title = _("Soạn công văn đôn đốc")
    return render(
        request,
        "oversight/letter_compose.html",
        {
            "form": form,
            "unit": unit,
            "units": units,
            "rows": listed,
            "checked": {str(v) for v in form["tasks"].value() or []},
            "capped": capped,
            "text": text,
            "every_open": every_open,
            "today": day,
            "page_title": title,
            "breadcrumbs": _crumbs(
                (_("Công văn đôn đốc"), reverse("oversight:letter_list")), (title, "")
            ),
            "nav_active": "oversight",
        },
        status=400 if form.errors else 200,
    )


@person_required
def letter_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    letter = _found(queries.letter_get, actor=person, pk=pk)
    urgings = queries.letter_urgings(letter)
    return render(
        request,
        "oversight/letter_detail.html",
        {
            "letter": letter,
            "urgings": urgings,
            "recipients": [line for line in letter.recipients.splitlines() if line.strip()],
            "breadcrumbs": _crumbs(
                (_("Công văn đôn đốc"), reverse("oversight:letter_list")),
                (letter.number_symbol, ""),
            ),
            "nav_active": "oversight",
        },
    )


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@person_required
def letter_docx(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    from baro.oversight import letters

    letter = _found(queries.letter_get, actor=person, pk=pk)
    content = queries.letter_content(letter)
    return _download(
        letters.letter_docx(content), DOCX_TYPE, letters.letter_filename(content, "docx")
    )


@require_GET
@person_required
def letter_pdf(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    from baro.oversight import letters

    letter = _found(queries.letter_get, actor=person, pk=pk)
    content = queries.letter_content(letter)
    try:
        body = letters.letter_pdf(content)
    except letters.LetterUnavailable as unavailable:
        messages.error(request, unavailable.message)
        return redirect("oversight:letter_detail", letter.pk)
    return _download(body, "application/pdf", letters.letter_filename(content, "pdf"))


# --------------------------------------------------------------------------------------------
# the ladder


def _ladder_rows(ladder: Any) -> list[dict[str, Any]]:
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
    directive: Any = None,
) -> HttpResponse:
    if directive is None:
        ladder, config = queries.ladder_of_installation()
    else:
        ladder, config = queries.ladder_of_directive(directive)
    form = forms.LadderForm(
        request.POST if request.method == "POST" else None, initial=ladder.as_dict()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ladder_configure(actor=person, directive=directive, values=form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã lưu thang đôn đốc."))
            return redirect(request.path)
    if directive is None:
        title = _("Thang đôn đốc chung")
        crumbs = _crumbs((title, ""))
    else:
        title = _("Thang đôn đốc của văn bản %(number)s") % {"number": directive.number_symbol}
        crumbs = [
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
            "steps": [str(label) for value, label in LadderStep.choices if value != "manual"],
            "breadcrumbs": crumbs,
            "nav_active": "oversight" if directive is None else "directives",
        },
        status=400 if form.errors else 200,
    )


@person_required
def ladder_installation(request: HttpRequest, person: Person) -> HttpResponse:
    if not queries.can_configure_installation_ladder(person):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được đặt thang đôn đốc chung."))
    return _ladder_page(request, person)


@person_required
def ladder_directive(request: HttpRequest, person: Person, directive_id: int) -> HttpResponse:
    directive = _found(detail.directive_get_for_actor, actor=person, pk=directive_id)
    if not queries.can_configure_directive_ladder(person, directive):
        raise PermissionDenied(
            _("Chỉ lãnh đạo, văn thư của %(unit)s được đặt thang đôn đốc cho văn bản này.")
            % {"unit": directive.issuing_unit.name}
        )
    return _ladder_page(request, person, directive=directive)


__all__ = [
    "flag_decide",
    "flag_detail",
    "flag_list",
    "flag_to_inspection",
    "index",
    "inspection_conclude",
    "inspection_detail",
    "inspection_evidence",
    "inspection_findings",
    "inspection_handling",
    "inspection_list",
    "inspection_open",
    "inspection_people_options",
    "ladder_directive",
    "ladder_installation",
    "letter_compose",
    "letter_detail",
    "letter_docx",
    "letter_list",
    "letter_pdf",
    "record",
    "record_of",
    "task_panel",
    "task_urge",
]
