"""Assigning a task (/nhiem-vu/giao/): the assign form with its coordinators, and the two htmx
fragments it asks for on every change (the computed deadline, the officers of the lead unit)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from baro.core.errors import AuthorityError, DomainError
from baro.core.ids import id_from_text
from baro.core.pages import form_command, person_required
from baro.core.timeutil import format_date, today
from baro.org import queries as org_queries
from baro.org.authority import Power
from baro.org.models import Person, Unit
from baro.work import forms, lines, permissions, services
from baro.work.models import DeadlineRule, Task
from baro.work.permissions import directive_get_for_actor
from baro.work.views.common import crumbs, day_label, task_url

# Refusals of authority that are really a wrong choice on the assign form: a lead the
# assignment lines do not allow the chosen assigning unit, or a coordinator beyond its level.
# Shown next to the field, not as a 403 page.
ASSIGN_CHOICE_ERRORS = {
    "work.lead_line": "lead_unit",
    "work.lead_outside": "lead_unit",
    "work.coordinator_outside": "coordinators",
}
# The command's field names that the form calls otherwise.
ASSIGN_ALIASES = {"deadline_period": "period_number"}


class _CoordinatorsRefused(Exception):
    """A refusal about the coordinators: shown above their rows (a formset, not a form field)."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.message)
        self.message = error.message


def _assign_from_form(**arguments: Any) -> Task:
    """task_assign as the assign form asks it: a lead or a coordinator outside the assigning
    unit is a wrong choice in that field (ASSIGN_CHOICE_ERRORS), not a lack of power; a refusal
    about the coordinators goes above their rows. Raised inside the command's transaction, so
    either way nothing is written."""
    try:
        return services.task_assign(**arguments)
    except DomainError as error:
        field = ASSIGN_CHOICE_ERRORS.get(error.code, error.field)
        if field == "coordinators":
            raise _CoordinatorsRefused(error) from error
        if isinstance(error, AuthorityError) and error.code in ASSIGN_CHOICE_ERRORS:
            raise DomainError(error.code, error.message, field=field) from error
        raise


def _people_of(unit: Unit | None) -> list[Person]:
    if unit is None:
        return []
    return list(org_queries.person_search(within=unit)[:300])


def _preview(data: Any) -> dict[str, Any]:
    """The deadline the rule in `data` gives for a task assigned today; else what is missing
    (a hint, while the chosen rule's parameters are empty) or wrong (an error)."""
    form = forms.TaskAssignForm(data, assigning_units=[], lead_units=[])
    form.is_valid()  # only the chosen rule's fields are read; their own errors are shown below
    rule = form.chosen_rule()
    names = forms.RULE_FIELDS[rule]
    for name in names:
        if name in form.errors:
            return {"error": form.errors[name][0]}
    # Nothing typed yet (a period's number may stay empty: a whole year): say what to enter.
    if all(form.cleaned_data.get(n) in (None, "") for n in names if n != "period_number"):
        return {"hint": forms.RULE_HINTS[rule]}
    kwargs = form.deadline_kwargs()
    day = today()
    try:
        due = services.compute_deadline(
            assigned_on=day,
            rule=kwargs["deadline_rule"],
            days=kwargs["deadline_days"],
            on=kwargs["deadline"],
            period_kind=kwargs["deadline_period_kind"],
            period_year=kwargs["deadline_period_year"],
            period_number=kwargs["deadline_period_number"],
        )
    except DomainError as error:
        return {"error": error.message}
    if due < day:
        return {"error": _("Hạn %(due)s trước ngày giao.") % {"due": format_date(due)}}
    return {"deadline": due, "deadline_label": day_label(due), "days": (due - day).days}


@require_GET
@person_required
def deadline_preview(request: HttpRequest, person: Person) -> HttpResponse:
    """The assign form's deadline, computed live (htmx): the preview on every change of the
    rule's parameters; on a change of the rule itself (part=rule), the chosen rule's fields with
    the preview swapped in beside them (out of band)."""
    preview = _preview(request.GET)
    if request.GET.get("part") == "rule":
        # Unbound: the fields come back with what was typed, without errors for fields the
        # person has not reached yet.
        form = forms.TaskAssignForm(initial=request.GET.dict(), assigning_units=[], lead_units=[])
        return render(
            request,
            "work/_deadline_fields.html",
            {"rule_fields": form.rule_fields(), "preview": preview, "oob": True},
        )
    return render(request, "work/_deadline_preview.html", {"preview": preview})


@require_GET
@person_required
def officer_options(request: HttpRequest, person: Person) -> HttpResponse:
    """The officer field for the chosen lead unit (htmx): people working there today."""
    scope = {
        unit.pk: unit
        for unit in org_queries.units_visible_to(
            person, power=Power.TASK_ASSIGN, include_closed=False
        )
    }
    try:
        lead = scope.get(int(request.GET.get("lead_unit", "")))
    except ValueError:
        lead = None
    form = forms.TaskAssignForm(assigning_units=[], lead_units=[], officers=_people_of(lead))
    return render(request, "work/_officer_field.html", {"field": form["officer"]})


@person_required
def task_assign(request: HttpRequest, person: Person) -> HttpResponse:
    assigning_units = permissions.units_with_power(person, Power.TASK_ASSIGN)
    if not assigning_units:
        raise PermissionDenied(
            _("%(name)s không có quyền “Giao nhiệm vụ” ở đơn vị nào.") % {"name": person.full_name}
        )
    # The assignment lines' own answer (baro.work.lines), so no unit offered is refused.
    lead_units = lines.lead_choices(assigning_units, today())
    directive = None
    directive_id = id_from_text(request.GET.get("directive", ""))
    if directive_id is not None:
        directive = directive_get_for_actor(person, directive_id)
    groups = list(directive.groups.all()) if directive else []
    data = request.POST if request.method == "POST" else None
    lead = None
    lead_id = id_from_text(data.get("lead_unit", "")) if data else None
    if lead_id is not None:
        lead = next((u for u in lead_units if u.pk == lead_id), None)
    initial: dict[str, Any] = {"deadline_rule": DeadlineRule.WORKING_DAYS}
    if len(assigning_units) == 1:
        initial["assigning_unit"] = assigning_units[0].pk
    group_id = id_from_text(request.GET.get("group", ""))
    if group_id is not None:
        initial["group"] = group_id
    form = forms.TaskAssignForm(
        data,
        assigning_units=assigning_units,
        lead_units=lead_units,
        officers=_people_of(lead),
        groups=groups,
        initial=initial,
    )
    coordinator_units = lines.coordinator_choices(assigning_units, today())
    coordinators = forms.CoordinatorFormSet(
        data, prefix="coord", form_kwargs={"units": coordinator_units}
    )
    coordinators_error = ""
    if request.method == "POST" and form.is_valid() and coordinators.is_valid():
        data_ok = form.cleaned_data
        specs = [
            services.CoordinatorSpec(
                unit=row["unit"], part=row.get("part", ""), sub_deadline=row.get("sub_deadline")
            )
            for row in coordinators.cleaned_data
            if row.get("unit") is not None
        ]
        task: Task | None = None
        try:
            task = form_command(
                form,
                _assign_from_form,
                aliases=ASSIGN_ALIASES,
                actor=person,
                title=data_ok["title"],
                description=data_ok["description"],
                expected_output=data_ok["expected_output"],
                quality_criteria=data_ok["quality_criteria"],
                priority=data_ok["priority"],
                is_new_difficult=data_ok["is_new_difficult"],
                is_innovation=data_ok["is_innovation"],
                assigning_unit=data_ok["assigning_unit"],
                lead_unit=data_ok["lead_unit"],
                officer=data_ok["officer"],
                coordinators=specs,
                directive=directive,
                group=data_ok["group"],
                **form.deadline_kwargs(),
            )
        except _CoordinatorsRefused as refused:
            coordinators_error = refused.message
        if task is not None:
            messages.success(
                request,
                _("Đã giao nhiệm vụ cho %(unit)s, hạn %(day)s.")
                % {"unit": task.lead_unit.name, "day": format_date(task.deadline)},
            )
            return redirect(task_url(task.pk))
    title = _("Giao nhiệm vụ")
    breadcrumbs = (
        crumbs(
            (directive.number_symbol, reverse("work:directive_detail", args=[directive.pk])),
            (title, ""),
        )
        if directive
        else [{"label": _("Trang chủ"), "url": reverse("home")}, {"label": title, "url": ""}]
    )
    has_errors = bool(form.errors or coordinators_error or coordinators.total_error_count())
    return render(
        request,
        "work/task_assign.html",
        {
            "form": form,
            "coordinators": coordinators,
            "coordinators_error": coordinators_error,
            "directive": directive,
            "preview": _preview(request.POST if data else {"deadline_rule": form.chosen_rule()}),
            "rule_fields": form.rule_fields(),
            "page_title": title,
            "cancel_url": (
                reverse("work:directive_detail", args=[directive.pk])
                if directive
                else reverse("home")
            ),
            "breadcrumbs": breadcrumbs,
            "nav_active": "tasks",
        },
        status=400 if has_errors else 200,
    )


urlpatterns = [
    path("giao/", task_assign, name="task_assign"),
    path("giao/tinh-han/", deadline_preview, name="deadline_preview"),
    path("giao/can-bo/", officer_options, name="officer_options"),
]
