"""The task page (/nhiem-vu/<id>/): its "3 rõ" panels (process, authority, record), the buttons
of the commands the person may give it now, its history, and the panels other areas add.

The buttons are offered by baro.work.permissions.can, the very checks the services make; the
command pages themselves are in commands.py, the collaboration actions in collab.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baro.core.pages import HtmxRequest, person_required
from baro.core.panels import contributions
from baro.core.timeutil import format_date, today
from baro.org import queries as org_queries
from baro.org.history import readable
from baro.org.models import Person, Position
from baro.org.permissions import can_view_card
from baro.work import permissions, rules
from baro.work.models import DeadlineRule, ProgressReport, Task, TaskStatus
from baro.work.permissions import TaskState, task_get_for_actor
from baro.work.queries.detail import coordinators_without_input, latest_submission, task_history
from baro.work.queries.extras import task_extras
from baro.work.rules import TaskCommand, TimingStatus
from baro.work.views.common import TASK_PAGE_RELATED, shorten, task_crumbs
from baro.workdays.calendar import period_label

HISTORY_PAGE_SIZE = 20

C = TaskCommand


# --------------------------------------------------------------------------------------------
# what the person may do now: the buttons offered (the services decide for real)


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


# --------------------------------------------------------------------------------------------
# the page


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
def task_detail(request: HtmxRequest, person: Person, pk: int) -> HttpResponse:
    task = task_get_for_actor(person, pk, related=TASK_PAGE_RELATED)
    history = Paginator(task_history(task), HISTORY_PAGE_SIZE)
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
            # Linked only where its page opens for this person (else the name, not a 404).
            "lead_unit_linked": can_view_card(person, task.lead_unit),
            "coordinators": list(task.coordinators.select_related("unit")),
            "actions": task_actions(person, task, state),
            "submission": latest_submission(task),
            "silent_coordinators": (
                coordinators_without_input(task, day) if task.status == TaskStatus.SUBMITTED else []
            ),
            "extras": task_extras(task=task, actor=person, today=day),
            "page_obj": history,
            # The third clear (urgings, inspections, handling), from oversight.
            "contributed_panels": contributions("work.task.panels", request, person, task),
            "breadcrumbs": [*task_crumbs(task)[:-1], {"label": shorten(task.title), "url": ""}],
            "nav_active": "tasks",
        },
    )


urlpatterns = [
    path("<int:pk>/", task_detail, name="task_detail"),
]
