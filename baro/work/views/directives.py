"""The directive pages (/nhiem-vu/van-ban/): the list with its search, registering a directive,
and a directive's page with its tasks by group, its files and the buttons other areas add."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from baro.core.pages import form_command, person_required
from baro.core.panels import contributions
from baro.core.timeutil import today
from baro.org.authority import Power
from baro.org.models import Person, Unit
from baro.work import forms, permissions, rules, services
from baro.work.models import Attachment, Task, TaskGroup
from baro.work.permissions import directive_get_for_actor, directives_visible_to
from baro.work.views.common import crumbs

PAGE_SIZE = 25


@person_required
def directive_list(request: HttpRequest, person: Person) -> HttpResponse:
    visible = directives_visible_to(person)
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
            "can_register": permissions.may_register_directives(person),
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": _("Văn bản chỉ đạo"), "url": ""},
            ],
            "nav_active": "directives",
        },
    )


@person_required
def directive_register(request: HttpRequest, person: Person) -> HttpResponse:
    units = permissions.units_with_power(person, Power.DIRECTIVE_REGISTER, Power.DIRECTIVE_ISSUE)
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
        directive = form_command(
            form,
            services.directive_register,
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
        if directive is not None:
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
            "breadcrumbs": crumbs((title, "")),
            "nav_active": "directives",
        },
        status=400 if form.errors else 200,
    )


@person_required
def directive_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    directive = directive_get_for_actor(person, pk)
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
            "can_assign": permissions.may_assign_anywhere(person),
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
            "breadcrumbs": crumbs((directive.number_symbol, "")),
            "nav_active": "directives",
        },
    )


urlpatterns = [
    path("van-ban/", directive_list, name="directive_list"),
    path("van-ban/vao-so/", directive_register, name="directive_register"),
    path("van-ban/<int:pk>/", directive_detail, name="directive_detail"),
]
