"""Pages of directives and tasks (/nhiem-vu/): register a directive, assign a task, the task page
with its "3 rõ" panels, and one page per workflow command.

Thin views, like baro/org/views.py: find what the person may see (else 404), decide whether the
command is open to them now (else a 403 page with the reason, or back to the task with a message
when the task's state no longer allows it), parse a form, call one service, then redirect with a
message. A service's DomainError goes back onto the form next to the field it names; the service
re-checks everything, so the `can_*` helpers here only decide which buttons and pages to offer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from baro.core.errors import AuthorityError, DomainError, NotFoundError
from baro.core.ids import id_from_text
from baro.core.pages import attach_error, person_required
from baro.core.panels import contributions
from baro.core.timeutil import format_date, today
from baro.org import authority
from baro.org import queries as org_queries
from baro.org.authority import Power
from baro.org.history import readable
from baro.org.models import Person, Position, Unit
from baro.work import forms, permissions, rules, services
from baro.work.models import (
    Attachment,
    DeadlineRule,
    Directive,
    ProgressReport,
    Task,
    TaskGroup,
    TaskStatus,
)
from baro.work.permissions import TaskState
from baro.work.queries import detail
from baro.work.queries.extras import task_extras
from baro.work.rules import TaskCommand, TimingStatus
from baro.workdays.calendar import WEEKDAY_NAMES, period_label

PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 20

C = TaskCommand


# --------------------------------------------------------------------------------------------
# who the person is in the tree


def _power_units(person: Person, *powers: str) -> list[Unit]:
    """Units (among the person's own) over which they hold one of `powers`: where they may act
    *as* that unit (assign through it, issue in its name)."""
    day = today()
    return [
        unit
        for unit in detail.actor_units(person)
        if unit.is_active_on(day) and any(authority.check(person, p, unit) for p in powers)
    ]


def _active_subtree_of(units: list[Unit]) -> list[Unit]:
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


# --------------------------------------------------------------------------------------------
# what the person may see


def _visible_directive(person: Person, pk: int) -> Directive:
    try:
        return detail.directive_get(actor=person, pk=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def visible_task(person: Person, pk: int) -> Task:
    try:
        return detail.task_get(
            actor=person, pk=pk, related=("assigner", "officer", "directive", "group", "parent")
        )
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


# --------------------------------------------------------------------------------------------
# what the person may do now: the buttons and pages offered (the services decide for real)


COMMAND_URLS = {
    C.ACCEPT: "work:task_accept",
    C.REFUSE: "work:task_refuse",
    C.REPORT_PROGRESS: "work:task_report",
    C.SUBMIT: "work:task_submit",
    C.APPROVE: "work:task_approve",
    C.RETURN: "work:task_return",
    C.REQUEST_EXTENSION: "work:extension_request",
    C.DECIDE_EXTENSION: "work:extension_decide",
    C.DECIDE_DISPUTE: "work:dispute_decide",
    C.CANCEL: "work:task_cancel",
}
# The main step of each state first (the button drawn as primary), the cancel last.
COMMAND_ORDER = [
    C.ACCEPT,
    C.DECIDE_DISPUTE,
    C.REPORT_PROGRESS,
    C.SUBMIT,
    C.APPROVE,
    C.RETURN,
    C.DECIDE_EXTENSION,
    C.REFUSE,
    C.REQUEST_EXTENSION,
    C.CANCEL,
]
PRIMARY = {C.ACCEPT, C.DECIDE_DISPUTE, C.SUBMIT, C.APPROVE, C.DECIDE_EXTENSION}


def task_actions(person: Person, task: Task, state: TaskState) -> list[dict[str, Any]]:
    """The buttons of the task page: the commands `person` may perform now, main step first."""
    allowed = rules.allowed_commands(task.status)
    return [
        {
            "command": command,
            "label": C(command).label,
            "url": reverse(COMMAND_URLS[command], args=[task.pk]),
            "primary": command in PRIMARY,
            "danger": command == C.CANCEL,
        }
        for command in COMMAND_ORDER
        if command in allowed and permissions.can(person, task, command, state)
    ]


def _open_command(person: Person, task: Task, command: str) -> TaskState:
    """Let the page through when the command is open to `person` now; else send them back to
    the task (state) or show the 403 page with the reason (authority)."""
    state = permissions.state_of(task)
    refusal = permissions.state_refusal(task, command, state)
    if refusal:
        raise _BackToTask(refusal)
    decision = permissions.can(person, task, command, state)
    if not decision:
        raise PermissionDenied(decision.reason)
    return state


class _BackToTask(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _command_page(view: Any) -> Any:
    """Turn _BackToTask into a redirect to the task page with the reason as a message."""

    def wrapper(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
        try:
            return view(request, person, pk=pk)
        except _BackToTask as back:
            messages.error(request, back.message)
            return redirect(task_url(pk))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --------------------------------------------------------------------------------------------
# small helpers


def task_url(pk: int) -> str:
    return reverse("work:task_detail", args=[pk])


def _crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    crumbs = [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Văn bản chỉ đạo"), "url": reverse("work:directive_list")},
    ]
    crumbs.extend({"label": label, "url": url} for label, url in extra)
    return crumbs


def _task_crumbs(task: Task, *extra: str) -> list[dict[str, str]]:
    items: list[tuple[str, str]] = []
    if task.directive is not None:
        items.append(
            (
                task.directive.number_symbol,
                reverse("work:directive_detail", args=[task.directive_id]),
            )
        )
    items.append((_shorten(task.title), task_url(task.pk)))
    items.extend((label, "") for label in extra)
    return _crumbs(*items)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _day_label(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {format_date(day)}"


def _refused(form: Any, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form; a refusal of authority is a 403 page."""
    if isinstance(error, AuthorityError):
        raise PermissionDenied(error.message)
    attach_error(form, error, aliases)


# Refusals of authority that are really a wrong choice on the assign form: a lead or a
# coordinator outside the chosen assigning unit. Shown next to the field, not as a 403 page.
ASSIGN_CHOICE_ERRORS = {
    "work.lead_outside": "lead_unit",
    "work.coordinator_outside": "coordinators",
}


def _task_facts(task: Task) -> list[tuple[str, str]]:
    """The few lines that say which task a command page is about."""
    facts = [
        (_("Nhiệm vụ"), task.title),
        (_("Đơn vị chủ trì"), task.lead_unit.name),
        (_("Trạng thái"), task.get_status_display()),
        (_("Hạn xử lý"), _day_label(task.deadline)),
    ]
    if task.officer is not None:
        facts.insert(2, (_("Cán bộ xử lý"), task.officer.full_name))
    return facts


def _command_form_page(
    request: HttpRequest,
    task: Task,
    form: Any,
    *,
    title: str,
    submit_label: str,
    intro: str = "",
    facts: list[tuple[str, str]] | None = None,
    danger: bool = False,
) -> HttpResponse:
    return render(
        request,
        "work/task_command.html",
        {
            "task": task,
            "form": form,
            "page_title": title,
            "intro": intro,
            "facts": facts if facts is not None else _task_facts(task),
            "submit_label": submit_label,
            "cancel_url": task_url(task.pk),
            "danger": danger,
            "breadcrumbs": _task_crumbs(task, title),
            "nav_active": "tasks",
        },
        status=400 if form.errors else 200,
    )


def _confirm_page(
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
            "breadcrumbs": _task_crumbs(task, title),
            "nav_active": "tasks",
        },
    )


# --------------------------------------------------------------------------------------------
# directives


@person_required
def directive_list(request: HttpRequest, person: Person) -> HttpResponse:
    visible = detail.directives_visible_to(person)
    units = Unit.objects.filter(pk__in=visible.values("issuing_unit_id")).order_by("path")
    years = sorted(
        set(visible.annotate(y=ExtractYear("signed_on")).values_list("y", flat=True)),
        reverse=True,
    )
    form = forms.DirectiveSearchForm(request.GET or None, units=units, years=years)
    query = form.cleaned_data if form.is_valid() else {}
    directives = visible
    text = (query.get("q") or "").strip()
    if text:
        directives = directives.filter(Q(number_symbol__icontains=text) | Q(title__icontains=text))
    if query.get("unit"):
        directives = directives.filter(issuing_unit_id=query["unit"])
    if query.get("year"):
        directives = directives.filter(signed_on__year=query["year"])
    page = Paginator(directives.order_by("-signed_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "work/directive_list.html",
        {
            "form": form,
            "page_obj": page,
            "searching": bool(text or query.get("unit") or query.get("year")),
            "can_register": bool(
                authority.holds_anywhere(person, Power.DIRECTIVE_REGISTER)
                or authority.holds_anywhere(person, Power.DIRECTIVE_ISSUE)
            ),
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": _("Văn bản chỉ đạo"), "url": ""},
            ],
            "nav_active": "directives",
        },
    )


@person_required
def directive_register(request: HttpRequest, person: Person) -> HttpResponse:
    units = _power_units(person, Power.DIRECTIVE_REGISTER, Power.DIRECTIVE_ISSUE)
    if not units:
        raise PermissionDenied(
            _("%(name)s không có quyền “Vào sổ văn bản chỉ đạo” ở đơn vị nào.")
            % {"name": person.full_name}
        )
    form = forms.DirectiveRegisterForm(
        request.POST or None,
        units=units,
        initial={"issuing_unit": units[0].pk if len(units) == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            directive = services.directive_register(
                actor=person,
                number_symbol=data["number_symbol"],
                kind=data["kind"],
                issuing_unit=data["issuing_unit"],
                signer=data["signer"],
                signed_on=data["signed_on"],
                title=data["title"],
                summary=data["summary"],
                requires_cascade=data["requires_cascade"],
                plan_days=data["plan_days"],
                deploy_days=data["deploy_days"],
                groups=data["groups"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Đã vào sổ văn bản %(number)s.") % {"number": directive.number_symbol},
            )
            return redirect("work:directive_detail", directive.pk)
    title = _("Vào sổ văn bản chỉ đạo")
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "page_title": title,
            "intro": _(
                "Văn bản được ghi vào sổ cái cùng các nhóm nhiệm vụ; sau đó giao nhiệm vụ theo "
                "từng nhóm."
            ),
            "cancel_url": reverse("work:directive_list"),
            "submit_label": _("Vào sổ"),
            "breadcrumbs": _crumbs((title, "")),
            "nav_active": "directives",
        },
        status=400 if form.errors else 200,
    )


@person_required
def directive_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    directive = _visible_directive(person, pk)
    tasks = Task.objects.filter(directive=directive).select_related("lead_unit", "officer")
    groups = list(
        TaskGroup.objects.filter(directive=directive).prefetch_related(
            Prefetch("tasks", queryset=tasks.order_by("deadline", "pk"))
        )
    )
    day = today()
    ungrouped = list(tasks.filter(group__isnull=True).order_by("deadline", "pk"))
    for task in [*ungrouped, *(t for g in groups for t in g.tasks.all())]:
        task.timing = rules.timing_status(task, day)  # type: ignore[attr-defined]
    return render(
        request,
        "work/directive_detail.html",
        {
            "directive": directive,
            "groups": groups,
            "ungrouped": ungrouped,
            "task_count": tasks.count(),
            "can_assign": bool(authority.holds_anywhere(person, Power.TASK_ASSIGN)),
            "files": list(
                Attachment.objects.filter(directive=directive, task__isnull=True)
                .select_related("uploaded_by")
                .order_by("pk")
            ),
            "can_attach": permissions.may_act_for_directives(person, directive.issuing_unit),
            # The cascade's and the ladder's buttons, from the areas that own them.
            "contributed_actions": contributions(
                "work.directive.actions", request, person, directive
            ),
            "breadcrumbs": _crumbs((directive.number_symbol, "")),
            "nav_active": "directives",
        },
    )


# --------------------------------------------------------------------------------------------
# assignment


def _people_of(unit: Unit | None) -> list[Person]:
    if unit is None:
        return []
    return list(org_queries.person_search(within=unit)[:300])


def _preview(data: Any) -> dict[str, Any]:
    """The deadline the rule in `data` gives for a task assigned today, or the reason not."""
    form = forms.TaskAssignForm(data, assigning_units=[], lead_units=[])
    form.is_valid()  # only the deadline fields are read; their own errors are shown below
    for name in ("deadline", "deadline_days", "period_year", "period_number"):
        if name in form.errors:
            return {"error": form.errors[name][0]}
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
    return {"deadline": due, "deadline_label": _day_label(due), "days": (due - day).days}


@require_GET
@person_required
def deadline_preview(request: HttpRequest, person: Person) -> HttpResponse:
    """The computed deadline of the assign form, as a fragment (htmx, on every change)."""
    return render(request, "work/_deadline_preview.html", {"preview": _preview(request.GET)})


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
    assigning_units = _power_units(person, Power.TASK_ASSIGN)
    if not assigning_units:
        raise PermissionDenied(
            _("%(name)s không có quyền “Giao nhiệm vụ” ở đơn vị nào.") % {"name": person.full_name}
        )
    lead_units = _active_subtree_of(assigning_units)
    directive = None
    directive_id = id_from_text(request.GET.get("directive", ""))
    if directive_id is not None:
        directive = _visible_directive(person, directive_id)
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
    coordinator_units = lead_units
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
        try:
            task = services.task_assign(
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
        except DomainError as error:
            field = ASSIGN_CHOICE_ERRORS.get(error.code, error.field)
            if field == "coordinators":
                coordinators_error = error.message
            elif field == "lead_unit":
                form.add_error("lead_unit", error.message)
            else:
                _refused(
                    form,
                    error,
                    {
                        "lead_unit": "lead_unit",
                        "assigning_unit": "assigning_unit",
                        "deadline_period": "period_number",
                        "officer": "officer",
                    },
                )
        else:
            messages.success(
                request,
                _("Đã giao nhiệm vụ cho %(unit)s, hạn %(day)s.")
                % {"unit": task.lead_unit.name, "day": format_date(task.deadline)},
            )
            return redirect(task_url(task.pk))
    title = _("Giao nhiệm vụ")
    crumbs = (
        _crumbs(
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
            "preview": _preview(request.POST) if data else {},
            "page_title": title,
            "cancel_url": (
                reverse("work:directive_detail", args=[directive.pk])
                if directive
                else reverse("home")
            ),
            "breadcrumbs": crumbs,
            "nav_active": "tasks",
        },
        status=400 if has_errors else 200,
    )


# --------------------------------------------------------------------------------------------
# the task page


WORKFLOW_STEPS = [
    (TaskStatus.ASSIGNED, gettext_lazy("Giao, chờ tiếp nhận")),
    (TaskStatus.IN_PROGRESS, gettext_lazy("Đang thực hiện")),
    (TaskStatus.SUBMITTED, gettext_lazy("Trình kết quả, chờ duyệt")),
    (TaskStatus.COMPLETED, gettext_lazy("Hoàn thành")),
]


def _steps(task: Task) -> list[dict[str, Any]]:
    order = [status for status, _label in WORKFLOW_STEPS]
    # A disputed task sits at the first step: it waits for its owner to be decided.
    status = TaskStatus.ASSIGNED if task.status == TaskStatus.DISPUTED else task.status
    current = order.index(status) if status in order else -1
    return [
        {
            "label": label,
            "state": (
                "done"
                if index < current or task.status == TaskStatus.COMPLETED
                else "current"
                if index == current
                else "todo"
            ),
        }
        for index, (_status, label) in enumerate(WORKFLOW_STEPS)
    ]


def _timing(task: Task, day: dt.date) -> dict[str, Any]:
    timing = rules.timing_status(task, day)
    tone = {
        TimingStatus.IN_PROGRESS_ON_TIME: "ok",
        TimingStatus.IN_PROGRESS_OVERDUE: "danger",
        TimingStatus.COMPLETED_ON_TIME: "ok",
        TimingStatus.COMPLETED_LATE: "warn",
        TimingStatus.CANCELLED: "",
    }[timing]
    detail = ""
    if timing == TimingStatus.IN_PROGRESS_ON_TIME:
        left = (task.deadline - day).days
        detail = _("hạn là hôm nay") if left == 0 else _("còn %(n)s ngày") % {"n": left}
    elif timing == TimingStatus.IN_PROGRESS_OVERDUE:
        detail = _("quá hạn %(n)s ngày") % {"n": (day - task.deadline).days}
    elif timing == TimingStatus.COMPLETED_LATE and task.completed_on:
        detail = _("chậm %(n)s ngày") % {"n": (task.completed_on - task.deadline).days}
    return {"code": timing.value, "label": timing.label, "tone": tone, "detail": detail}


def _rule_label(task: Task) -> str:
    """How the original deadline was set, as a document would say it."""
    assigned = format_date(task.assigned_on)
    if task.deadline_rule == DeadlineRule.CALENDAR_DAYS:
        return _("Trong %(n)s ngày kể từ ngày giao %(day)s") % {
            "n": task.deadline_days,
            "day": assigned,
        }
    if task.deadline_rule == DeadlineRule.WORKING_DAYS:
        return _("Trong %(n)s ngày làm việc kể từ ngày giao %(day)s") % {
            "n": task.deadline_days,
            "day": assigned,
        }
    if task.deadline_rule == DeadlineRule.PERIOD and task.deadline_period_year:
        try:
            label = period_label(
                task.deadline_period_kind, task.deadline_period_year, task.deadline_period_number
            )
        except ValueError:
            label = task.get_deadline_period_kind_display()
        return _("Trong %(period)s") % {"period": label}
    return _("Ấn định ngày cụ thể")


def _next_step(task: Task, state: TaskState, lead_head: Position | None) -> list[dict[str, Any]]:
    """Who must act next, doing what, by when (one line per pending decision)."""
    lead_who = (
        f"{lead_head.person.full_name} ({task.lead_unit.name})"
        if lead_head
        else task.lead_unit.name
    )
    assigner_who = f"{task.assigner.full_name} ({task.assigning_unit.name})"
    steps: list[dict[str, Any]] = []
    if task.status == TaskStatus.ASSIGNED:
        steps.append(
            {
                "what": _("Tiếp nhận nhiệm vụ, hoặc từ chối có lý do và nêu đơn vị đề xuất"),
                "who": lead_who,
                "by": None,
            }
        )
    elif task.status == TaskStatus.DISPUTED and state.dispute is not None:
        head = org_queries.unit_head(state.dispute.decider_unit)
        steps.append(
            {
                "what": _("Quyết định đơn vị chủ trì (tranh chấp thẩm quyền)"),
                "who": (
                    f"{head.person.full_name} ({state.dispute.decider_unit.name})"
                    if head
                    else state.dispute.decider_unit.name
                ),
                "by": state.dispute.deadline,
            }
        )
    elif task.status == TaskStatus.IN_PROGRESS:
        who = f"{task.officer.full_name} ({task.lead_unit.name})" if task.officer else lead_who
        steps.append(
            {
                "what": _("Thực hiện, báo cáo tiến độ và trình kết quả"),
                "who": who,
                "by": task.deadline,
            }
        )
    elif task.status == TaskStatus.SUBMITTED:
        steps.append(
            {"what": _("Duyệt kết quả, hoặc trả lại có lý do"), "who": assigner_who, "by": None}
        )
    if state.extension is not None:
        steps.append(
            {
                "what": _("Quyết định đề nghị gia hạn đến %(day)s")
                % {"day": format_date(state.extension.new_deadline)},
                "who": assigner_who,
                "by": None,
            }
        )
    return steps


@person_required
def task_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    history = Paginator(detail.task_history(task), HISTORY_PAGE_SIZE)
    history = history.get_page(request.GET.get("page"))
    history.object_list = readable(history.object_list)
    if request.htmx and request.GET.get("part") == "history":
        return render(request, "work/task_detail.html#history", {"task": task, "page_obj": history})
    day = today()
    state = permissions.state_of(task)
    lead_head = org_queries.unit_head(task.lead_unit)
    extensions = list(task.extensions.select_related("requested_by", "decided_by"))
    disputes = list(
        task.disputes.select_related(
            "refusing_unit",
            "proposed_unit",
            "decider_unit",
            "decided_unit",
            "refused_by",
            "decided_by",
        )
    )
    return render(
        request,
        "work/task_detail.html",
        {
            "task": task,
            "today": day,
            "steps": _steps(task),
            "timing": _timing(task, day),
            "not_updated": rules.not_updated(task, day),
            "not_updated_days": rules.not_updated_days(),
            "rule_label": _rule_label(task),
            "original_deadline": extensions[0].old_deadline
            if task.extension_count and extensions
            else None,
            "next_steps": _next_step(task, state, lead_head),
            "reports": list(
                ProgressReport.objects.filter(task=task)
                .select_related("author")
                .order_by("-created_at", "-pk")
            ),
            "extensions": extensions,
            "disputes": disputes,
            "open_dispute": state.dispute,
            "pending_extension": state.extension,
            "lead_head": lead_head,
            "coordinators": list(task.coordinators.select_related("unit")),
            "actions": task_actions(person, task, state),
            "extras": task_extras(task=task, actor=person, today=day),
            "page_obj": history,
            # The third clear (urgings, inspections, handling), from oversight.
            "contributed_panels": contributions("work.task.panels", request, person, task),
            "breadcrumbs": [*_task_crumbs(task)[:-1], {"label": _shorten(task.title), "url": ""}],
            "nav_active": "tasks",
        },
    )


# --------------------------------------------------------------------------------------------
# workflow commands


@person_required
@_command_page
def task_accept(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    _open_command(person, task, C.ACCEPT)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            services.task_accept(actor=person, task=task)
        except AuthorityError as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã tiếp nhận nhiệm vụ."))
        return redirect(task_url(task.pk))
    return _confirm_page(
        request,
        task,
        title=_("Tiếp nhận nhiệm vụ"),
        question=_(
            "%(unit)s tiếp nhận nhiệm vụ này, chịu trách nhiệm chủ trì thực hiện đến hạn "
            "%(day)s. Anh/chị xác nhận?"
        )
        % {"unit": task.lead_unit.name, "day": format_date(task.deadline)},
        facts=_task_facts(task),
        confirm_label=_("Xác nhận tiếp nhận"),
        carry=[],
    )


@person_required
@_command_page
def task_refuse(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    _open_command(person, task, C.REFUSE)
    units = [
        unit for unit in _active_subtree_of([task.assigning_unit]) if unit.pk != task.lead_unit_id
    ]
    form = forms.RefuseForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_refuse(
                actor=person,
                task=task,
                reason=form.cleaned_data["reason"],
                proposed_unit=form.cleaned_data["proposed_unit"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _(
                    "Đã từ chối nhiệm vụ. Tranh chấp thẩm quyền được chuyển người đứng đầu cấp "
                    "trên chung quyết định; trong khi chờ, %(unit)s vẫn là đơn vị chủ trì."
                )
                % {"unit": task.lead_unit.name},
            )
            return redirect(task_url(task.pk))
    return _command_form_page(
        request,
        task,
        form,
        title=_("Từ chối nhiệm vụ"),
        submit_label=_("Từ chối nhiệm vụ"),
        intro=_(
            "Không được trả nhiệm vụ mà không chỉ ra đơn vị có thẩm quyền. Người đứng đầu cấp "
            "trên chung của hai đơn vị sẽ quyết định; quyết định đó là bắt buộc."
        ),
        danger=True,
    )


@person_required
@_command_page
def task_report(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    _open_command(person, task, C.REPORT_PROGRESS)
    form = forms.ProgressForm(request.POST or None, initial={"percent": task.percent})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_report_progress(
                actor=person,
                task=task,
                percent=data["percent"],
                text=data["text"],
                blocker=data["blocker"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã báo cáo tiến độ %(p)s%%.") % {"p": data["percent"]})
            return redirect(task_url(task.pk))
    return _command_form_page(
        request, task, form, title=_("Báo cáo tiến độ"), submit_label=_("Gửi báo cáo")
    )


@person_required
@_command_page
def task_submit(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    _open_command(person, task, C.SUBMIT)
    form = forms.SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_submit(actor=person, task=task, note=form.cleaned_data["note"])
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Đã trình kết quả; chờ %(name)s duyệt.") % {"name": task.assigner.full_name},
            )
            return redirect(task_url(task.pk))
    return _command_form_page(
        request, task, form, title=_("Trình kết quả"), submit_label=_("Trình kết quả")
    )


@person_required
@_command_page
def task_approve(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    _open_command(person, task, C.APPROVE)
    form = forms.ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_approve(
                actor=person,
                task=task,
                quality_grade=data["quality_grade"],
                effectiveness_grade=data["effectiveness_grade"],
                note=data["note"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã duyệt kết quả; nhiệm vụ hoàn thành."))
            return redirect(task_url(task.pk))
    facts = _task_facts(task)
    if task.expected_output:
        facts.append((_("Sản phẩm"), task.expected_output))
    if task.quality_criteria:
        facts.append((_("Yêu cầu chất lượng"), task.quality_criteria))
    return _command_form_page(
        request,
        task,
        form,
        title=_("Duyệt kết quả"),
        submit_label=_("Duyệt kết quả"),
        intro=_("Đánh giá chất lượng và hiệu quả của kết quả đã trình."),
        facts=facts,
    )


@person_required
@_command_page
def task_return(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    _open_command(person, task, C.RETURN)
    form = forms.ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_return(actor=person, task=task, reason=form.cleaned_data["reason"])
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã trả lại kết quả để làm lại."))
            return redirect(task_url(task.pk))
    return _command_form_page(
        request,
        task,
        form,
        title=_("Trả lại kết quả"),
        submit_label=_("Trả lại"),
        intro=_("Nhiệm vụ quay về trạng thái đang thực hiện; số lần trả lại được ghi nhận."),
    )


@person_required
@_command_page
def extension_request(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    _open_command(person, task, C.REQUEST_EXTENSION)
    form = forms.ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.extension_request(
                actor=person, task=task, new_deadline=data["new_deadline"], reason=data["reason"]
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Đã đề nghị gia hạn đến %(day)s; chờ %(name)s quyết định.")
                % {"day": format_date(data["new_deadline"]), "name": task.assigner.full_name},
            )
            return redirect(task_url(task.pk))
    facts = _task_facts(task)
    facts.append((_("Số lần đã gia hạn"), str(task.extension_count)))
    return _command_form_page(
        request,
        task,
        form,
        title=_("Đề nghị gia hạn"),
        submit_label=_("Gửi đề nghị"),
        facts=facts,
    )


@person_required
@_command_page
def extension_decide(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    state = _open_command(person, task, C.DECIDE_EXTENSION)
    extension = state.extension
    assert extension is not None  # _open_command checked it
    form = forms.ExtensionDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.extension_decide(
                actor=person, extension=extension, approve=approve, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Đã đồng ý gia hạn đến %(day)s.") % {"day": format_date(extension.new_deadline)}
                if approve
                else _("Đã không đồng ý gia hạn."),
            )
            return redirect(task_url(task.pk))
    facts = _task_facts(task)
    facts += [
        (_("Người đề nghị"), extension.requested_by.full_name),
        (_("Hạn đề nghị"), _day_label(extension.new_deadline)),
        (_("Lý do"), extension.reason),
        (_("Số lần đã gia hạn"), str(task.extension_count)),
    ]
    return _command_form_page(
        request,
        task,
        form,
        title=_("Quyết định gia hạn"),
        submit_label=_("Ghi quyết định"),
        facts=facts,
    )


@person_required
@_command_page
def task_cancel(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    _open_command(person, task, C.CANCEL)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") == "1":
            try:
                services.task_cancel(actor=person, task=task, reason=form.cleaned_data["reason"])
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(request, _("Đã hủy nhiệm vụ."))
                return redirect(task_url(task.pk))
        else:
            return _confirm_page(
                request,
                task,
                title=_("Xác nhận hủy nhiệm vụ"),
                question=_(
                    "Nhiệm vụ bị hủy sẽ không thể tiếp tục; lịch sử vẫn được giữ. "
                    "Anh/chị chắc chắn?"
                ),
                facts=[*_task_facts(task), (_("Lý do hủy"), form.cleaned_data["reason"])],
                confirm_label=_("Xác nhận hủy"),
                carry=[("reason", form.cleaned_data["reason"])],
            )
    return _command_form_page(
        request,
        task,
        form,
        title=_("Hủy nhiệm vụ"),
        submit_label=_("Tiếp tục"),
        danger=True,
    )


@person_required
@_command_page
def dispute_decide(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = visible_task(person, pk)
    state = _open_command(person, task, C.DECIDE_DISPUTE)
    dispute = state.dispute
    assert dispute is not None  # _open_command checked it
    coordinator_ids = set(task.coordinators.values_list("unit_id", flat=True))
    units = [
        unit
        for unit in _active_subtree_of([dispute.decider_unit])
        if unit.pk not in coordinator_ids
    ]
    form = forms.DisputeDecideForm(
        request.POST or None, units=units, initial={"unit": dispute.proposed_unit_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dispute_decide(
                actor=person,
                dispute=dispute,
                unit=form.cleaned_data["unit"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Đã quyết định: %(unit)s chủ trì nhiệm vụ. Quyết định có hiệu lực bắt buộc.")
                % {"unit": form.cleaned_data["unit"].name},
            )
            return redirect(task_url(task.pk))
    facts = [
        (_("Nhiệm vụ"), task.title),
        (_("Đơn vị từ chối"), dispute.refusing_unit.name),
        (_("Người từ chối"), dispute.refused_by.full_name),
        (_("Lý do từ chối"), dispute.reason),
        (_("Đơn vị được đề xuất"), dispute.proposed_unit.name),
        (_("Đơn vị giao"), task.assigning_unit.name),
        (_("Hạn xử lý nhiệm vụ"), _day_label(task.deadline)),
        (_("Hạn quyết định tranh chấp"), _day_label(dispute.deadline)),
    ]
    return _command_form_page(
        request,
        task,
        form,
        title=_("Quyết định tranh chấp thẩm quyền"),
        submit_label=_("Ghi quyết định"),
        intro=_(
            "Anh/chị là người đứng đầu %(unit)s, cấp trên chung của hai đơn vị. Đơn vị được chọn "
            "nhận nhiệm vụ và không được từ chối lại."
        )
        % {"unit": dispute.decider_unit.name},
        facts=facts,
    )


urlpatterns = [
    path("van-ban/", directive_list, name="directive_list"),
    path("van-ban/vao-so/", directive_register, name="directive_register"),
    path("van-ban/<int:pk>/", directive_detail, name="directive_detail"),
    path("giao/", task_assign, name="task_assign"),
    path("giao/tinh-han/", deadline_preview, name="deadline_preview"),
    path("giao/can-bo/", officer_options, name="officer_options"),
    path("<int:pk>/", task_detail, name="task_detail"),
    path("<int:pk>/tiep-nhan/", task_accept, name="task_accept"),
    path("<int:pk>/tu-choi/", task_refuse, name="task_refuse"),
    path("<int:pk>/bao-cao-tien-do/", task_report, name="task_report"),
    path("<int:pk>/trinh-ket-qua/", task_submit, name="task_submit"),
    path("<int:pk>/duyet/", task_approve, name="task_approve"),
    path("<int:pk>/tra-lai/", task_return, name="task_return"),
    path("<int:pk>/gia-han/", extension_request, name="extension_request"),
    path("<int:pk>/gia-han/quyet-dinh/", extension_decide, name="extension_decide"),
    path("<int:pk>/huy/", task_cancel, name="task_cancel"),
    path("<int:pk>/tranh-chap/", dispute_decide, name="dispute_decide"),
]
