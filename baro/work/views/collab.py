"""The collaboration actions of the task page (/nhiem-vu/…): ask a coordinator for input, answer
it, mark it unclear, ask a superior for guidance, answer it, attach a file, download one, split
off a subtask.

The task page's panels (work/_task_extras.html) post straight to these views. Each view finds
the task (request, file) as the actor may see it through its `*_get_for_actor` (else 404), runs
one command through the page kit (form_command) and goes back to the task page. A refusal for
lack of power is the 403 page with the reason; bad input renders the action's own form page
with the Vietnamese message next to the field (status 400), the same page a GET shows.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from baro.core.errors import AuthorityError, DomainError
from baro.core.pages import attach_error, form_command, person_required
from baro.org.models import Person, Unit
from baro.work import services, uploads
from baro.work.models import (
    Attachment,
    DeadlineRule,
    InputPosition,
    Task,
    TaskCoordinator,
)
from baro.work.permissions import (
    attachment_get_for_actor,
    directive_get_for_actor,
    guidance_request_get_for_actor,
    input_request_get_for_actor,
    task_get_for_actor,
)
from baro.work.queries.extras import default_guidance_superior, guidance_superiors
from baro.work.views.common import TASK_PAGE_RELATED, task_url

# One date style on every page: dd/mm/yyyy typed as text (a browser's date picker shows the
# browser's own order, mm/dd/yyyy in an English one, beside forms that say dd/mm/yyyy).
DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "class": "date-input"}
)


# --------------------------------------------------------------------------------------------
# forms


class InputRequestForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị phối hợp"), queryset=Unit.objects.none(), empty_label=None
    )
    question = forms.CharField(
        label=gettext_lazy("Nội dung xin ý kiến"), widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label=gettext_lazy("Hạn trả lời"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy(
            "Để trống: theo hạn phối hợp của đơn vị (hoặc số ngày làm việc mặc định)."
        ),
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = TaskCoordinator.objects.filter(task=task).values("unit_id")
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=ids).order_by("path")  # type: ignore[attr-defined]


class InputAnswerForm(forms.Form):
    position = forms.ChoiceField(
        label=gettext_lazy("Ý kiến"), choices=InputPosition.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=gettext_lazy("Nội dung trả lời"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Bắt buộc khi không đồng ý hoặc đề nghị sửa đổi."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Nhận xét: vì sao ý kiến chưa rõ"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GuidanceRequestForm(forms.Form):
    superior_unit = forms.ModelChoiceField(
        label=gettext_lazy("Xin ý kiến cấp trên"), queryset=Unit.objects.none(), empty_label=None
    )
    question = forms.CharField(
        label=gettext_lazy("Nội dung xin ý kiến chỉ đạo"), widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label=gettext_lazy("Đề nghị trả lời trước"), required=False, widget=DATE_WIDGET
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["superior_unit"]
        field.queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in guidance_superiors(task)]
        ).order_by("-depth")
        default = default_guidance_superior(task)
        if default is not None:
            field.initial = default.pk


class GuidanceAnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Ý kiến chỉ đạo"), widget=forms.Textarea(attrs={"rows": 3})
    )
    within_unit_authority = forms.BooleanField(
        label=gettext_lazy("Nội dung thuộc thẩm quyền của đơn vị (đơn vị tự quyết định)"),
        required=False,
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp đính kèm"), allow_empty_file=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = uploads.attachment_types()
        limit = uploads.attachment_max_bytes() / (1024 * 1024)
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{t}" for t in types)
        self.fields["file"].help_text = _("Nhận %(types)s; tối đa %(mb)s MB.") % {
            "types": ", ".join(t.upper() for t in types),
            "mb": f"{limit:g}".replace(".", ","),
        }


class SubtaskForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên nhiệm vụ con"), max_length=500)
    lead_unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị chủ trì"), queryset=Unit.objects.none()
    )
    deadline = forms.DateField(label=gettext_lazy("Hạn xử lý"), widget=DATE_WIDGET)
    expected_output = forms.CharField(
        label=gettext_lazy("Sản phẩm"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = task.lead_unit
        self.fields["lead_unit"].queryset = (  # type: ignore[attr-defined]
            Unit.objects.filter(path__startswith=lead.path).exclude(pk=lead.pk).order_by("path")
        )
        self.fields["deadline"].initial = task.deadline


# --------------------------------------------------------------------------------------------
# helpers


def _crumbs(task: Task, title: str) -> list[dict[str, str]]:
    return [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": task.title, "url": task_url(task.pk)},
        {"label": title, "url": ""},
    ]


def _page(
    request: HttpRequest, form: forms.Form, task: Task, title: str, intro: str = ""
) -> HttpResponse:
    return render(
        request,
        "work/collab/form_page.html",
        {
            "form": form,
            "task": task,
            "page_title": title,
            "intro": intro,
            "submit_label": title,
            "cancel_url": task_url(task.pk),
            "breadcrumbs": _crumbs(task, title),
            "nav_active": "tasks",
        },
        status=400 if form.errors else 200,
    )


def _done(request: HttpRequest, task_id: int, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{task_url(task_id)}#{anchor}")


# --------------------------------------------------------------------------------------------
# coordinator inputs


@person_required
@require_http_methods(["GET", "POST"])
def input_request_view(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = task_get_for_actor(person, pk, related=TASK_PAGE_RELATED)
    form = InputRequestForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_command(
            form,
            services.input_request,
            actor=person,
            task=task,
            unit=data["unit"],
            question=data["question"],
            due_on=data["due_on"],
        )
        if done is not None:
            return _done(
                request,
                task.pk,
                _("Đã gửi xin ý kiến %(unit)s.") % {"unit": data["unit"].name},
                "panel-inputs",
            )
    return _page(request, form, task, _("Xin ý kiến đơn vị phối hợp"))


@person_required
@require_http_methods(["GET", "POST"])
def input_answer_view(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    row = input_request_get_for_actor(person, pk)
    form = InputAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = form_command(
            form,
            services.input_answer,
            actor=person,
            input_request=row,
            position=form.cleaned_data["position"],
            answer=form.cleaned_data["answer"],
        )
        if done is not None:
            return _done(request, row.task_id, _("Đã gửi ý kiến trả lời."), "panel-inputs")
    return _page(
        request,
        form,
        row.task,
        _("Trả lời xin ý kiến"),
        intro=_("%(unit)s được hỏi: “%(question)s”")
        % {"unit": row.unit.name, "question": row.question},
    )


@person_required
@require_http_methods(["GET", "POST"])
def input_unclear_view(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    row = input_request_get_for_actor(person, pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = form_command(
            form,
            services.input_mark_unclear,
            actor=person,
            input_request=row,
            note=form.cleaned_data["note"],
        )
        if done is not None:
            return _done(
                request, row.task_id, _("Đã ghi nhận ý kiến chưa rõ quan điểm."), "panel-inputs"
            )
    return _page(request, form, row.task, _("Đánh dấu ý kiến chưa rõ quan điểm"))


# --------------------------------------------------------------------------------------------
# guidance


@person_required
@require_http_methods(["GET", "POST"])
def guidance_request_view(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = task_get_for_actor(person, pk, related=TASK_PAGE_RELATED)
    form = GuidanceRequestForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = form_command(
            form,
            services.guidance_request,
            actor=person,
            task=task,
            question=data["question"],
            superior_unit=data["superior_unit"],
            due_on=data["due_on"],
        )
        if done is not None:
            return _done(
                request,
                task.pk,
                _("Đã gửi xin ý kiến chỉ đạo %(unit)s.") % {"unit": data["superior_unit"].name},
                "panel-guidance",
            )
    return _page(request, form, task, _("Xin ý kiến chỉ đạo"))


@person_required
@require_http_methods(["GET", "POST"])
def guidance_answer_view(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    row = guidance_request_get_for_actor(person, pk)
    form = GuidanceAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = form_command(
            form,
            services.guidance_answer,
            actor=person,
            guidance=row,
            answer=form.cleaned_data["answer"],
            within_unit_authority=form.cleaned_data["within_unit_authority"],
        )
        if done is not None:
            return _done(
                request, row.task_id, _("Đã trả lời xin ý kiến chỉ đạo."), "panel-guidance"
            )
    return _page(
        request,
        form,
        row.task,
        _("Trả lời xin ý kiến chỉ đạo"),
        intro=_("Câu hỏi: “%(question)s”") % {"question": row.question},
    )


# --------------------------------------------------------------------------------------------
# attachments


def _attach(form: forms.Form, **arguments: Any) -> Attachment | None:
    """form_command for attachment_add, the one command that owns its commit (it removes its
    file if the commit fails), so it is called directly rather than through run_command:
    the new row, or None with the refusal next to the file field; a refusal of authority is
    the 403 page, as the kit does."""
    try:
        return services.attachment_add(**arguments)
    except AuthorityError as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        attach_error(form, error)
        return None


@person_required
@require_http_methods(["GET", "POST"])
def attachment_add_view(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = task_get_for_actor(person, pk, related=TASK_PAGE_RELATED)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        row = _attach(
            form,
            actor=person,
            task=task,
            name=upload.name or "",
            content=upload,
        )
        if row is not None:
            return _done(
                request,
                task.pk,
                _("Đã đính kèm tệp “%(name)s”.") % {"name": row.original_name},
                "panel-attachments",
            )
    return _page(request, form, task, _("Đính kèm tệp"))


@person_required
@require_http_methods(["GET", "POST"])
def directive_attachment_add_view(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    directive = directive_get_for_actor(person, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        row = _attach(
            form,
            actor=person,
            directive=directive,
            name=upload.name or "",
            content=upload,
        )
        if row is not None:
            messages.success(
                request, _("Đã đính kèm tệp “%(name)s”.") % {"name": row.original_name}
            )
            return redirect(f"{reverse('work:directive_detail', args=[directive.pk])}#files")
    title = _("Đính kèm tệp vào văn bản %(number)s") % {"number": directive.number_symbol}
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "page_title": title,
            "intro": directive.title,
            "submit_label": _("Tải lên"),
            "cancel_url": reverse("work:directive_detail", args=[directive.pk]),
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": _("Văn bản chỉ đạo"), "url": reverse("work:directive_list")},
                {
                    "label": directive.number_symbol,
                    "url": reverse("work:directive_detail", args=[directive.pk]),
                },
                {"label": title, "url": ""},
            ],
            "nav_active": "directives",
        },
    )


@person_required
@require_http_methods(["GET"])
def attachment_download(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    row = attachment_get_for_actor(person, pk)
    file_path = uploads.attachment_path(row)
    if not file_path.is_file():
        raise Http404(_("Tệp không còn trên máy chủ; báo quản trị viên."))
    # Always a download with the type Baro determined, never rendered inline in Baro's origin.
    response = FileResponse(
        file_path.open("rb"),
        as_attachment=True,
        filename=row.original_name,
        content_type=row.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------------------------------
# subtasks


@person_required
@require_http_methods(["GET", "POST"])
def subtask_assign_view(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    task = task_get_for_actor(person, pk, related=TASK_PAGE_RELATED)
    form = SubtaskForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sub = form_command(
            form,
            services.subtask_assign,
            actor=person,
            parent=task,
            title=data["title"],
            lead_unit=data["lead_unit"],
            deadline_rule=DeadlineRule.DATE,
            deadline=data["deadline"],
            expected_output=data["expected_output"],
        )
        if sub is not None:
            return _done(
                request,
                task.pk,
                _("Đã giao nhiệm vụ con “%(title)s” cho %(unit)s.")
                % {"title": sub.title, "unit": data["lead_unit"].name},
                "panel-subtasks",
            )
    return _page(
        request,
        form,
        task,
        _("Giao nhiệm vụ con"),
        intro=_("Hạn nhiệm vụ con không được sau hạn nhiệm vụ cha (%(day)s).")
        % {"day": task.deadline.strftime("%d/%m/%Y")},
    )


urlpatterns = [
    path("<int:pk>/xin-y-kien-phoi-hop/", input_request_view, name="input_request"),
    path("xin-y-kien-phoi-hop/<int:pk>/tra-loi/", input_answer_view, name="input_answer"),
    path("xin-y-kien-phoi-hop/<int:pk>/chua-ro/", input_unclear_view, name="input_unclear"),
    path("<int:pk>/xin-y-kien-chi-dao/", guidance_request_view, name="guidance_request"),
    path("xin-y-kien-chi-dao/<int:pk>/tra-loi/", guidance_answer_view, name="guidance_answer"),
    path("<int:pk>/tep-dinh-kem/", attachment_add_view, name="attachment_add"),
    path("tep-dinh-kem/<int:pk>/", attachment_download, name="attachment_download"),
    path(
        "van-ban/<int:pk>/tep-dinh-kem/",
        directive_attachment_add_view,
        name="directive_attachment_add",
    ),
    path("<int:pk>/nhiem-vu-con/", subtask_assign_view, name="subtask_assign"),
]
