"""The third panel of the task page ("rõ kết quả kiểm tra, đôn đốc, xử lý"): an htmx fragment
the work task page loads by its URL (baro.oversight.panels puts the link there; work does not
import oversight), and urging the task by hand ("Đôn đốc")."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from baro.core.pages import HtmxRequest, deny_unless, form_command, person_required
from baro.core.timeutil import format_date, today
from baro.org.models import Person
from baro.oversight import forms, permissions, queries, services
from baro.oversight.views.common import crumbs, task_url
from baro.work import permissions as work_permissions
from baro.work.models import Task


def _visible_task(person: Person, task_id: int) -> Task:
    return work_permissions.task_get_for_actor(
        actor=person, pk=task_id, related=("officer", "directive")
    )


@require_GET
@person_required
def task_panel(request: HtmxRequest, person: Person, task_id: int) -> HttpResponse:
    task = _visible_task(person, task_id)
    context = {
        "o": queries.task_oversight(actor=person, task=task),
        "task": task,
        "may_urge": bool(permissions.may_urge(person, task)),
        "urge_form": forms.UrgeForm(),
        "today": today(),
        "breadcrumbs": crumbs((task.title[:60], task_url(task.pk)), (_("Đôn đốc, kiểm tra"), "")),
        "nav_active": "oversight",
    }
    if request.htmx:
        return render(request, "oversight/task_panel.html#panel", context)
    return render(request, "oversight/task_panel.html", context)


@person_required
def task_urge(request: HttpRequest, person: Person, task_id: int) -> HttpResponse:
    task = _visible_task(person, task_id)
    deny_unless(permissions.may_urge(person, task))
    form = forms.UrgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        urging = form_command(
            form, services.task_urge, actor=person, task=task, note=form.cleaned_data["note"]
        )
        if urging is not None:
            messages.success(request, _("Đã đôn đốc nhiệm vụ."))
            return redirect(task_url(task.pk))
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
            "cancel_url": task_url(task.pk),
            "submit_label": _("Đôn đốc"),
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": task.title[:60], "url": task_url(task.pk)},
                {"label": title, "url": ""},
            ],
            "nav_active": "tasks",
        },
        status=400 if form.errors else 200,
    )
