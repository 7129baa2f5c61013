"""Pages of notifications (/thong-bao/): thin views over baro.notify.queries and services.

- a person's notifications, newest first, unread ones highlighted, with "Đánh dấu đã đọc" per
  item (htmx: the item and the bell are redrawn in place) and "Đánh dấu tất cả đã đọc";
- for administrators (/thong-bao/quan-tri/): webhook endpoints (register, the secret shown
  once right after, disable after a confirmation) and the outbox of deliveries (filter by
  status and channel, re-queue a failed one).

Who may see or do what is decided in baro.notify.permissions: an endpoint or a delivery is
fetched through its `*_get_for_actor` before anything else; each command runs through the
page kit (form_command: a refusal on a form goes next to its field; without a form, a refusal
is a message on the page it returns to), a lack of authority is the 403 page with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baro.core.ids import id_from_text
from baro.core.pages import HtmxRequest, form_command, message_command, next_url, person_required
from baro.core.run import run_command
from baro.notify import forms, queries, services
from baro.notify.context import Bell
from baro.notify.permissions import can_manage, delivery_get_for_actor, webhook_get_for_actor
from baro.org.models import Person

PAGE_SIZE = 20
# Where the secret of a just-registered webhook waits for the one page that shows it.
NEW_SECRET_KEY = "baro_new_webhook_secret"  # noqa: S105 (a session key, not a secret)


def _crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    return [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Thông báo"), "url": reverse("notify:list")},
        *({"label": label, "url": url} for label, url in extra),
    ]


# --------------------------------------------------------------------------------------------
# a person's notifications


@person_required
def notification_list(request: HttpRequest, person: Person) -> HttpResponse:
    unread_only = request.GET.get("loc") == "chua-doc"
    page = Paginator(queries.notifications_for(person, unread_only=unread_only), PAGE_SIZE)
    return render(
        request,
        "notify/list.html",
        {
            "page_obj": page.get_page(request.GET.get("page")),
            "unread_only": unread_only,
            "unread": queries.unread_count(person),
            "can_manage": can_manage(person),
            "breadcrumbs": _crumbs(),
            "nav_active": "notifications",
        },
    )


@require_POST
@person_required
def mark_read(request: HtmxRequest, person: Person) -> HttpResponse:
    """Mark one notification read (`id`), or all of them (`all`); the person's own UI state."""
    raw = request.POST.get("id", "")
    if request.POST.get("all"):
        count = run_command(services.notification_mark_read, person=person)
        if not request.htmx:
            messages.success(
                request, _("Đã đánh dấu %(count)d thông báo là đã đọc.") % {"count": count}
            )
        return redirect(next_url(request, reverse("notify:list")))
    notification_id = id_from_text(raw)
    if notification_id is None:
        return HttpResponse(_("Thiếu thông báo cần đánh dấu."), status=400)
    run_command(services.notification_mark_read, person=person, ids=[notification_id])
    if request.htmx:
        found = queries.notifications_for(person).filter(pk=notification_id).first()
        if found is None:
            raise Http404(_("Không tìm thấy thông báo."))
        # The item, read now; the bell and the page's summary with the new count (out of band).
        bell = Bell(person)
        parts = [
            render_to_string("notify/_item.html", {"n": found}, request=request),
            render_to_string(
                "notify/_bell.html", {"notify_bell": bell, "oob": True}, request=request
            ),
            render_to_string(
                "notify/_summary.html",
                {"unread": queries.unread_count(person), "oob": True},
                request=request,
            ),
        ]
        return HttpResponse("".join(parts))
    return redirect(next_url(request, reverse("notify:list")))


# --------------------------------------------------------------------------------------------
# administration


def _require_manager(person: Person) -> None:
    """The 403 page, before anything is read, for who may not administer notifications."""
    if not can_manage(person):
        raise PermissionDenied(
            _("%(name)s không có quyền quản trị thông báo.") % {"name": person.full_name}
        )


def _admin_crumbs(label: str) -> list[dict[str, str]]:
    return _crumbs((_("Quản trị thông báo"), reverse("notify:webhooks")), (label, ""))


@person_required
def webhooks(request: HttpRequest, person: Person) -> HttpResponse:
    """Webhook endpoints: list and register; the secret of a new one is shown once."""
    _require_manager(person)
    form = forms.WebhookRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = form_command(
            form,
            services.webhook_register,
            actor=person,
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
            secret=form.cleaned_data["secret"],
        )
        if endpoint is not None:
            # Post/redirect/get: a reload must not register twice. The secret waits in the
            # session only until the page right after this redirect takes it out.
            request.session[NEW_SECRET_KEY] = endpoint.pk
            messages.success(request, _("Đã đăng ký điểm nhận %(url)s.") % {"url": endpoint.url})
            return redirect(reverse("notify:webhooks"))
    endpoints = list(queries.webhook_list(actor=person))
    fresh_id = request.session.pop(NEW_SECRET_KEY, None) if request.method == "GET" else None
    fresh = next((e for e in endpoints if fresh_id and e.pk == fresh_id), None)
    response = render(
        request,
        "notify/admin_webhooks.html",
        {
            "endpoints": endpoints,
            "form": form,
            "fresh": fresh,
            "tab": "webhooks",
            "breadcrumbs": _admin_crumbs(_("Webhook")),
            "nav_active": "notifications",
        },
        status=400 if form.errors else 200,
    )
    if fresh is not None:
        response["Cache-Control"] = "no-store"
    return response


@person_required
def webhook_disable(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    """Disable an endpoint, after a confirmation page (GET shows it, POST confirmed acts)."""
    _require_manager(person)
    endpoint = webhook_get_for_actor(actor=person, pk=pk)
    back = reverse("notify:webhooks")
    if not endpoint.is_active:
        messages.info(request, _("Điểm nhận này đã tắt."))
        return redirect(back)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        disabled = message_command(
            request, services.webhook_disable, actor=person, endpoint=endpoint
        )
        if disabled is not None:
            messages.success(request, _("Đã tắt điểm nhận %(url)s.") % {"url": endpoint.url})
        return redirect(back)
    waiting = queries.waiting_count(endpoint)
    return render(
        request,
        "web/confirm.html",
        {
            "page_title": _("Xác nhận tắt điểm nhận webhook"),
            "question": _(
                "Từ lúc tắt, Baro không gửi thông báo đến “%(url)s” nữa; các lượt gửi đang chờ "
                "sẽ bị hủy. Muốn nhận lại phải đăng ký lại (với khóa ký mới). Anh/chị chắc chắn?"
            )
            % {"url": endpoint.url},
            "facts": [
                (_("Địa chỉ nhận"), endpoint.url),
                (_("Mô tả"), endpoint.description or "—"),
                (_("Lượt gửi đang chờ"), str(waiting)),
            ],
            "carry": [],
            "confirm_label": _("Xác nhận tắt"),
            "cancel_url": back,
            "breadcrumbs": _admin_crumbs(_("Tắt điểm nhận")),
            "nav_active": "notifications",
        },
    )


@person_required
def deliveries(request: HttpRequest, person: Person) -> HttpResponse:
    """The outbox: every delivery, newest first, by status and channel."""
    _require_manager(person)
    filters = forms.DeliveryFilterForm(request.GET or None)
    status = channel = ""
    if filters.is_valid():
        status = filters.cleaned_data["status"]
        channel = filters.cleaned_data["channel"]
    rows = queries.delivery_list(actor=person, status=status, channel=channel)
    page = Paginator(rows, settings.BARO_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/admin_deliveries.html",
        {
            "filters": filters,
            "page_obj": page,
            "tab": "deliveries",
            "email_enabled": settings.BARO_EMAIL_ENABLED,
            "breadcrumbs": _admin_crumbs(_("Lượt gửi")),
            "nav_active": "notifications",
        },
    )


@require_POST
@person_required
def delivery_requeue(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    _require_manager(person)
    found = delivery_get_for_actor(actor=person, pk=pk)
    requeued = message_command(
        request, services.delivery_requeue, actor=person, delivery=found
    )
    if requeued is not None:
        messages.success(request, _("Đã đưa lượt gửi #%(id)d vào hàng chờ gửi lại.") % {"id": pk})
    return redirect(next_url(request, reverse("notify:deliveries")))


__all__ = [
    "deliveries",
    "delivery_requeue",
    "mark_read",
    "notification_list",
    "webhook_disable",
    "webhooks",
]
