"""One page per workflow command of a task (/nhiem-vu/<id>/tiep-nhan/, …/tu-choi/, …): accept,
refuse, report progress, submit, approve, return, ask for and decide an extension, cancel,
decide a dispute.

Each page finds the task as the person may see it (else 404), decides whether the command is
open to them now (else the 403 page with the reason, or back to the task with a message when
the task's state no longer allows it), parses its form and runs the one command through the
page kit (form_command; message_command for the confirmation of accept): a refusal goes back
onto the form next to the field it names, a refusal of authority is the 403 page. The service
re-checks everything; these checks only decide which pages to offer.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _

from baro.core.pages import form_command, message_command, person_required
from baro.core.timeutil import format_date, today
from baro.org.models import Person
from baro.work import forms, permissions, services
from baro.work.models import Task
from baro.work.permissions import TaskState, task_get_for_actor
from baro.work.queries.detail import coordinators_without_input, latest_submission
from baro.work.rules import TaskCommand
from baro.work.views.common import (
    TASK_PAGE_RELATED,
    active_subtree_of,
    command_form_page,
    confirm_page,
    day_label,
    task_facts,
    task_url,
)

C = TaskCommand


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


def _task(person: Person, pk: int) -> Task:
    return task_get_for_actor(person, pk, related=TASK_PAGE_RELATED)


@person_required
@_command_page
def task_accept(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = _task(person, pk)
    _open_command(person, task, C.ACCEPT)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        if message_command(request, services.task_accept, actor=person, task=task) is not None:
            messages.success(request, _("Đã tiếp nhận nhiệm vụ."))
        return redirect(task_url(task.pk))
    return confirm_page(
        request,
        task,
        title=_("Tiếp nhận nhiệm vụ"),
        question=_(
            "%(unit)s tiếp nhận nhiệm vụ này, chịu trách nhiệm chủ trì thực hiện đến hạn "
            "%(day)s. Anh/chị xác nhận?"
        )
        % {"unit": task.lead_unit.name, "day": format_date(task.deadline)},
        facts=task_facts(task),
        confirm_label=_("Xác nhận tiếp nhận"),
        carry=[],
    )


@person_required
@_command_page
def task_refuse(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = _task(person, pk)
    _open_command(person, task, C.REFUSE)
    units = [
        unit for unit in active_subtree_of([task.assigning_unit]) if unit.pk != task.lead_unit_id
    ]
    form = forms.RefuseForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        done = form_command(
            form,
            services.task_refuse,
            actor=person,
            task=task,
            reason=form.cleaned_data["reason"],
            proposed_unit=form.cleaned_data["proposed_unit"],
        )
        if done is not None:
            messages.success(
                request,
                _(
                    "Đã từ chối nhiệm vụ. Tranh chấp thẩm quyền được chuyển người đứng đầu cấp "
                    "trên chung quyết định; trong khi chờ, %(unit)s vẫn là đơn vị chủ trì."
                )
                % {"unit": task.lead_unit.name},
            )
            return redirect(task_url(task.pk))
    return command_form_page(
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
    task = _task(person, pk)
    _open_command(person, task, C.REPORT_PROGRESS)
    form = forms.ProgressForm(request.POST or None, initial={"percent": task.percent})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_command(
            form,
            services.task_report_progress,
            actor=person,
            task=task,
            percent=data["percent"],
            text=data["text"],
            blocker=data["blocker"],
        )
        if done is not None:
            messages.success(request, _("Đã báo cáo tiến độ %(p)s%%.") % {"p": data["percent"]})
            return redirect(task_url(task.pk))
    return command_form_page(
        request, task, form, title=_("Báo cáo tiến độ"), submit_label=_("Gửi báo cáo")
    )


@person_required
@_command_page
def task_submit(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = _task(person, pk)
    _open_command(person, task, C.SUBMIT)
    form = forms.SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = form_command(
            form, services.task_submit, actor=person, task=task, note=form.cleaned_data["note"]
        )
        if done is not None:
            messages.success(
                request,
                _("Đã trình kết quả; chờ %(name)s duyệt.") % {"name": task.assigner.full_name},
            )
            return redirect(task_url(task.pk))
    return command_form_page(
        request, task, form, title=_("Trình kết quả"), submit_label=_("Trình kết quả")
    )


@person_required
@_command_page
def task_approve(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = _task(person, pk)
    _open_command(person, task, C.APPROVE)
    form = forms.ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_command(
            form,
            services.task_approve,
            actor=person,
            task=task,
            quality_grade=data["quality_grade"],
            effectiveness_grade=data["effectiveness_grade"],
            note=data["note"],
        )
        if done is not None:
            messages.success(request, _("Đã duyệt kết quả; nhiệm vụ hoàn thành."))
            return redirect(task_url(task.pk))
    facts = task_facts(task)
    if task.expected_output:
        facts.append((_("Sản phẩm"), task.expected_output))
    if task.quality_criteria:
        facts.append((_("Yêu cầu chất lượng"), task.quality_criteria))
    return command_form_page(
        request,
        task,
        form,
        title=_("Duyệt kết quả"),
        submit_label=_("Duyệt kết quả"),
        intro=_("Đánh giá chất lượng và hiệu quả của kết quả đã trình."),
        facts=facts,
        extra=_before_approval(task),
    )


def _before_approval(task: Task) -> dict[str, Any]:
    """What the assigner reads before deciding on a result: what was submitted (note, files)
    and which coordinators gave no input."""
    return {
        "submission": latest_submission(task),
        "silent_coordinators": coordinators_without_input(task, today()),
    }


@person_required
@_command_page
def task_return(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = _task(person, pk)
    _open_command(person, task, C.RETURN)
    form = forms.ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = form_command(
            form, services.task_return, actor=person, task=task, reason=form.cleaned_data["reason"]
        )
        if done is not None:
            messages.success(request, _("Đã trả lại kết quả để làm lại."))
            return redirect(task_url(task.pk))
    return command_form_page(
        request,
        task,
        form,
        title=_("Trả lại kết quả"),
        submit_label=_("Trả lại"),
        intro=_("Nhiệm vụ quay về trạng thái đang thực hiện; số lần trả lại được ghi nhận."),
        extra=_before_approval(task),
    )


@person_required
@_command_page
def extension_request(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = _task(person, pk)
    _open_command(person, task, C.REQUEST_EXTENSION)
    form = forms.ExtensionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_command(
            form,
            services.extension_request,
            actor=person,
            task=task,
            new_deadline=data["new_deadline"],
            reason=data["reason"],
        )
        if done is not None:
            messages.success(
                request,
                _("Đã đề nghị gia hạn đến %(day)s; chờ %(name)s quyết định.")
                % {"day": format_date(data["new_deadline"]), "name": task.assigner.full_name},
            )
            return redirect(task_url(task.pk))
    facts = task_facts(task)
    facts.append((_("Số lần đã gia hạn"), str(task.extension_count)))
    return command_form_page(
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
    task = _task(person, pk)
    state = _open_command(person, task, C.DECIDE_EXTENSION)
    extension = state.extension
    assert extension is not None  # _open_command checked it
    form = forms.ExtensionDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        done = form_command(
            form,
            services.extension_decide,
            actor=person,
            extension=extension,
            approve=approve,
            note=form.cleaned_data["note"],
        )
        if done is not None:
            messages.success(
                request,
                _("Đã đồng ý gia hạn đến %(day)s.") % {"day": format_date(extension.new_deadline)}
                if approve
                else _("Đã không đồng ý gia hạn."),
            )
            return redirect(task_url(task.pk))
    facts = task_facts(task)
    facts += [
        (_("Người đề nghị"), extension.requested_by.full_name),
        (_("Hạn đề nghị"), day_label(extension.new_deadline)),
        (_("Lý do"), extension.reason),
        (_("Số lần đã gia hạn"), str(task.extension_count)),
    ]
    return command_form_page(
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
    task = _task(person, pk)
    _open_command(person, task, C.CANCEL)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirmed") == "1":
            done = form_command(
                form,
                services.task_cancel,
                actor=person,
                task=task,
                reason=form.cleaned_data["reason"],
            )
            if done is not None:
                messages.success(request, _("Đã hủy nhiệm vụ."))
                return redirect(task_url(task.pk))
        else:
            return confirm_page(
                request,
                task,
                title=_("Xác nhận hủy nhiệm vụ"),
                question=_(
                    "Nhiệm vụ bị hủy sẽ không thể tiếp tục; lịch sử vẫn được giữ. "
                    "Anh/chị chắc chắn?"
                ),
                facts=[*task_facts(task), (_("Lý do hủy"), form.cleaned_data["reason"])],
                confirm_label=_("Xác nhận hủy"),
                carry=[("reason", form.cleaned_data["reason"])],
            )
    return command_form_page(
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
    task = _task(person, pk)
    state = _open_command(person, task, C.DECIDE_DISPUTE)
    dispute = state.dispute
    assert dispute is not None  # _open_command checked it
    coordinator_ids = set(task.coordinators.values_list("unit_id", flat=True))
    units = [
        unit for unit in active_subtree_of([dispute.decider_unit]) if unit.pk not in coordinator_ids
    ]
    form = forms.DisputeDecideForm(
        request.POST or None, units=units, initial={"unit": dispute.proposed_unit_id}
    )
    if request.method == "POST" and form.is_valid():
        done = form_command(
            form,
            services.dispute_decide,
            actor=person,
            dispute=dispute,
            unit=form.cleaned_data["unit"],
            reason=form.cleaned_data["reason"],
        )
        if done is not None:
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
        (_("Hạn xử lý nhiệm vụ"), day_label(task.deadline)),
        (_("Hạn quyết định tranh chấp"), day_label(dispute.deadline)),
    ]
    return command_form_page(
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
