"""The inspections' pages ("Kiểm tra"): the list, planning one, and one page per inspection with
its evidence, findings, conclusion (confirmed in a second step: it is final) and handling
decisions. Only who conducts the inspection (permissions.may_conduct) gets its forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baro.core.errors import NotFoundError
from baro.core.ids import id_from_text
from baro.core.pages import deny_unless, form_command, person_required
from baro.core.timeutil import today
from baro.org.models import Person, Unit
from baro.oversight import forms, permissions, queries, services
from baro.oversight.models import HandlingMeasure, Inspection, InspectionStatus
from baro.oversight.views.common import confirm_page, crumbs, page_size
from baro.work import permissions as work_permissions


@person_required
def inspection_list(request: HttpRequest, person: Person) -> HttpResponse:
    form = forms.InspectionFilterForm(
        request.GET or None,
        units=queries.inspection_filter_units(person),
        years=queries.inspection_years(person),
    )
    inspections = queries.inspection_list(actor=person, filters=form.filters())
    page = Paginator(inspections, page_size()).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/inspection_list.html",
        {
            "form": form,
            "page_obj": page,
            "may_open": permissions.can_open_inspections(person),
            "breadcrumbs": crumbs((_("Kiểm tra"), "")),
            "nav_active": "oversight",
        },
        status=400 if form.errors else 200,
    )


def _target_unit(person: Person, raw: str | None) -> Unit | None:
    """A unit `person` may inspect, from a query or form value; None if not one."""
    unit_id = id_from_text(raw or "")
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None or not permissions.may_conduct(person, unit):
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
        inspection = form_command(form, services.inspection_open, actor=person, **form.values())
        if inspection is not None:
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
            "breadcrumbs": crumbs(
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
    may_conduct = bool(permissions.may_conduct_inspection(person, inspection))
    planned = inspection.status == InspectionStatus.PLANNED
    context: dict[str, Any] = {
        "inspection": inspection,
        "evidence": queries.inspection_evidence(inspection),
        "handlings": queries.inspection_handlings(inspection),
        "may_conduct": may_conduct,
        "planned": planned,
        "breadcrumbs": crumbs(
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
                context["found_tasks"] = queries.inspection_task_search(inspection, text)
        else:  # a handling decision follows the conclusion (handling_decide)
            context["handling_form"] = bound.get("handling_form") or _handling_form(inspection)
    errors = any(getattr(f, "errors", None) for f in bound.values())
    return render(
        request, "oversight/inspection_detail.html", context, status=400 if errors else 200
    )


def _handling_form(inspection: Inspection, data: Any = None) -> forms.HandlingForm:
    initial: dict[str, Any] = {"document_date": today()}
    if inspection.target_person_id:
        initial["person"] = inspection.target_person_id
    return forms.HandlingForm(
        data,
        people=queries.inspection_people(inspection.target_unit),
        units=queries.inspection_units(inspection),
        initial=initial,
    )


def _conducted(person: Person, pk: int) -> Inspection:
    """The inspection `pk` for a form that changes it: 404 if `person` may not read it, 403
    if they may read it but not conduct it."""
    inspection = permissions.inspection_get_for_actor(person, pk)
    deny_unless(permissions.may_conduct_inspection(person, inspection))
    return inspection


@person_required
def inspection_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    return _inspection_page(request, person, permissions.inspection_get_for_actor(person, pk))


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
                task = work_permissions.task_get_for_actor(
                    actor=person, pk=task_id, related=("assigning_unit", "lead_unit")
                )
            except NotFoundError:  # a number typed in the form: said next to it, not a 404
                form.add_error("task", _("Không tìm thấy nhiệm vụ số %(id)s.") % {"id": task_id})
        added = None
        if not form.errors:
            added = form_command(
                form,
                services.inspection_add_evidence,
                actor=person,
                inspection=inspection,
                flag=form.chosen_flag(),
                task=task,
                note=form.cleaned_data["note"],
            )
        if added is not None:
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
        recorded = form_command(
            form,
            services.inspection_record_findings,
            actor=person,
            inspection=inspection,
            findings=form.cleaned_data["findings"],
        )
        if recorded is not None:
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
            return confirm_page(
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
                breadcrumbs=crumbs(
                    (_("Kiểm tra"), reverse("oversight:inspection_list")),
                    (inspection.title[:60], back),
                    (_("Kết luận"), ""),
                ),
            )
        concluded = form_command(
            form,
            services.inspection_conclude,
            actor=person,
            inspection=inspection,
            conclusion=form.cleaned_data["conclusion"],
        )
        if concluded is not None:
            messages.success(request, _("Đã kết luận cuộc kiểm tra."))
            return redirect(_back(inspection))
    return _inspection_page(request, person, inspection, conclude_form=form)


@require_POST
@person_required
def inspection_handling(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    inspection = _conducted(person, pk)
    if inspection.status != InspectionStatus.CONCLUDED:
        # A stale page or a hand-made post: the form is only offered once concluded, and the
        # service refuses it too.
        messages.error(
            request, _("Cuộc kiểm tra chưa kết luận; chỉ quyết định xử lý sau khi đã có kết luận.")
        )
        return redirect(_back(inspection))
    form = _handling_form(inspection, request.POST)
    if form.is_valid():
        handling = form_command(
            form, services.handling_decide, actor=person, inspection=inspection, **form.values()
        )
        if handling is not None:
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
