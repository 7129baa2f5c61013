"""Pages of the cascade (/trien-khai/): thin views over baro.cascade's queries, permissions and
services.

- the issuer's overview of a directive, unit by unit down the tree, with its filters;
- the send page (the issuer chooses the receiving units);
- a receipt's page for the receiving unit (plan, deployment, forwarding, who acknowledged);
- "Văn bản cần quán triệt": a member's list with the one-click "Đã quán triệt" (htmx).

Who may see or do what is decided in baro.cascade.permissions: a directive or a receipt is
fetched through its `*_get_for_actor` before anything else (a 404 for who may not see it);
each command runs through the page kit (form_command: a refusal on a form goes next to its
field, a lack of authority is the 403 page with the reason).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baro.cascade import forms, permissions, queries, services
from baro.cascade.models import DirectiveReceipt
from baro.cascade.permissions import followed_directive_get_for_actor, receipt_get_for_actor
from baro.core.errors import AuthorityError
from baro.core.pages import HtmxRequest, form_command, next_url, person_required
from baro.core.run import run_command
from baro.core.timeutil import today
from baro.org.models import Person, Unit, UnitKind
from baro.org.queries import active_on, subtree_q
from baro.work.models import Directive


def _crumbs(*extra: tuple[str, str]) -> list[dict[str, str]]:
    return [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Văn bản cần quán triệt"), "url": reverse("cascade:pending")},
        *({"label": label, "url": url} for label, url in extra),
    ]


def _issuer_crumbs(directive: Directive, *extra: tuple[str, str]) -> list[dict[str, str]]:
    return [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Văn bản chỉ đạo"), "url": reverse("work:directive_list")},
        {
            "label": directive.number_symbol,
            "url": reverse("work:directive_detail", args=[directive.pk]),
        },
        *({"label": label, "url": url} for label, url in extra),
    ]


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    intro: str,
    cancel_url: str,
    submit_label: str,
    crumbs: list[dict[str, str]],
    template: str = "web/form_page.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "form": form,
            "page_title": title,
            "intro": intro,
            "cancel_url": cancel_url,
            "submit_label": submit_label,
            "breadcrumbs": crumbs,
            **(extra or {}),
        },
        status=400 if form.errors else 200,
    )


# --------------------------------------------------------------------------------------------
# the issuer's side


@person_required
def overview(request: HttpRequest, person: Person, directive_id: int) -> HttpResponse:
    directive = followed_directive_get_for_actor(actor=person, pk=directive_id)
    result = queries.cascade_overview(person, directive)
    key = request.GET.get("loc", "")
    rows = queries.filter_rows(result.rows, key) if key in queries.FILTERS else result.rows
    return render(
        request,
        "cascade/overview.html",
        {
            "directive": directive,
            "o": result,
            "rows": rows,
            "filters": queries.FILTERS,
            "active_filter": key if key in queries.FILTERS else "",
            "can_send": permissions.can_send(person, directive),
            "partial": permissions.overview_scope(person, directive) is not None,
            "breadcrumbs": _issuer_crumbs(directive, (_("Tình hình triển khai"), "")),
            "nav_active": "directives",
        },
    )


def _send_candidates(directive: Directive) -> QuerySet[Unit]:
    """Units the send page offers: active units of the issuer's tree that have not received
    the directive, without the issuer, its superiors and the divisions inside units (those
    get it by forwarding)."""
    issuer = directive.issuing_unit
    root_path = issuer.path.split(".")[0] + "."
    return (
        Unit.objects.filter(subtree_q(root_path), active_on(today()))
        .exclude(pk__in=issuer.ancestor_ids)
        .exclude(kind=UnitKind.DIVISION)
        .exclude(receipts__directive=directive)
        .order_by("path")
    )


@person_required
def send(request: HttpRequest, person: Person, directive_id: int) -> HttpResponse:
    directive = followed_directive_get_for_actor(actor=person, pk=directive_id)
    if not permissions.can_send(person, directive):
        raise PermissionDenied(
            _("%(name)s không có quyền gửi văn bản của %(unit)s.")
            % {"name": person.full_name, "unit": directive.issuing_unit.name}
        )
    form = forms.UnitsForm(
        request.POST if request.method == "POST" else None, candidates=_send_candidates(directive)
    )
    back = reverse("cascade:overview", args=[directive.pk])
    if request.method == "POST" and form.is_valid():
        receipts = form_command(
            form,
            services.directive_send,
            actor=person,
            directive=directive,
            units=form.chosen_units(),
            sent_on=form.cleaned_data["sent_on"],
        )
        if receipts is not None:
            messages.success(
                request,
                _("Đã gửi văn bản %(number)s đến %(count)d đơn vị.")
                % {"number": directive.number_symbol, "count": len(receipts)},
            )
            return redirect(back)
    title = _("Gửi văn bản %(number)s đến đơn vị") % {"number": directive.number_symbol}
    return _form_page(
        request,
        form,
        title=title,
        intro=_(
            "Mỗi đơn vị nhận phải ban hành kế hoạch thực hiện trong %(plan)d ngày và quán "
            "triệt, triển khai đến từng cán bộ trong %(deploy)d ngày kể từ ngày nhận."
        )
        % {"plan": directive.plan_days, "deploy": directive.deploy_days},
        cancel_url=back,
        submit_label=_("Gửi văn bản"),
        crumbs=_issuer_crumbs(
            directive, (_("Tình hình triển khai"), back), (_("Gửi đến đơn vị"), "")
        ),
    )


# --------------------------------------------------------------------------------------------
# the receiving side


@person_required
def receipt(request: HttpRequest, person: Person, receipt_id: int) -> HttpResponse:
    found = receipt_get_for_actor(actor=person, pk=receipt_id)
    day = today()
    row = queries.receipt_rows([found], day)[0]
    forwards = queries.receipt_rows(queries.forwards_of(found), day)
    return render(
        request,
        "cascade/receipt.html",
        {
            "r": found,
            "row": row,
            "forwards": forwards,
            "can_act": permissions.can_act_on(person, found),
            "can_overview": permissions.can_view_overview(person, found.directive),
            "is_member": any(p.pk == person.pk for p in row.members),
            "my_ack": found.acknowledgements.filter(person=person).first(),
            "breadcrumbs": _crumbs((f"{found.directive.number_symbol} — {found.unit.name}", "")),
        },
    )


def _acting_receipt(person: Person, receipt_id: int) -> DirectiveReceipt:
    found = receipt_get_for_actor(actor=person, pk=receipt_id)
    if not permissions.can_act_on(person, found):
        raise PermissionDenied(
            _("%(name)s không có quyền ban hành kế hoạch, triển khai văn bản của %(unit)s.")
            % {"name": person.full_name, "unit": found.unit.name}
        )
    return found


def _receipt_crumbs(found: DirectiveReceipt, label: str) -> list[dict[str, str]]:
    url = reverse("cascade:receipt", args=[found.pk])
    return _crumbs((f"{found.directive.number_symbol} — {found.unit.name}", url), (label, ""))


@person_required
def plan(request: HttpRequest, person: Person, receipt_id: int) -> HttpResponse:
    found = _acting_receipt(person, receipt_id)
    back = reverse("cascade:receipt", args=[found.pk])
    form = forms.PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        issued = form_command(
            form, services.plan_issue, actor=person, receipt=found, **form.cleaned_data
        )
        if issued is not None:
            messages.success(request, _("Đã ghi nhận kế hoạch thực hiện."))
            return redirect(back)
    title = _("Ban hành kế hoạch thực hiện")
    return _form_page(
        request,
        form,
        title=title,
        intro=_("Kế hoạch của %(unit)s thực hiện văn bản %(number)s; hạn %(due)s.")
        % {
            "unit": found.unit.name,
            "number": found.directive.number_symbol,
            "due": found.plan_due.strftime("%d/%m/%Y"),
        },
        cancel_url=back,
        submit_label=_("Ghi nhận kế hoạch"),
        crumbs=_receipt_crumbs(found, title),
    )


@person_required
def deploy(request: HttpRequest, person: Person, receipt_id: int) -> HttpResponse:
    found = _acting_receipt(person, receipt_id)
    back = reverse("cascade:receipt", args=[found.pk])
    form = forms.DeploymentRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        recorded = form_command(
            form, services.deployment_record, actor=person, receipt=found, **form.cleaned_data
        )
        if recorded is not None:
            messages.success(request, _("Đã ghi nhận việc quán triệt, triển khai."))
            return redirect(back)
    title = _("Ghi nhận quán triệt, triển khai")
    return _form_page(
        request,
        form,
        title=title,
        intro=_("Quán triệt, triển khai văn bản %(number)s đến cán bộ của %(unit)s; hạn %(due)s.")
        % {
            "unit": found.unit.name,
            "number": found.directive.number_symbol,
            "due": found.deploy_due.strftime("%d/%m/%Y"),
        },
        cancel_url=back,
        submit_label=_("Ghi nhận triển khai"),
        crumbs=_receipt_crumbs(found, title),
    )


def _forward_candidates(found: DirectiveReceipt) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(subtree_q(found.unit.path), active_on(today()))
        .exclude(pk=found.unit_id)
        .exclude(receipts__directive_id=found.directive_id)
        .order_by("path")
    )


@person_required
def forward(request: HttpRequest, person: Person, receipt_id: int) -> HttpResponse:
    found = _acting_receipt(person, receipt_id)
    back = reverse("cascade:receipt", args=[found.pk])
    form = forms.UnitsForm(
        request.POST if request.method == "POST" else None, candidates=_forward_candidates(found)
    )
    if request.method == "POST" and form.is_valid():
        forwards = form_command(
            form,
            services.receipt_forward,
            actor=person,
            receipt=found,
            units=form.chosen_units(),
            sent_on=form.cleaned_data["sent_on"],
        )
        if forwards is not None:
            messages.success(
                request,
                _("Đã chuyển văn bản đến %(count)d đơn vị trực thuộc.") % {"count": len(forwards)},
            )
            return redirect(back)
    title = _("Chuyển văn bản cho đơn vị trực thuộc")
    return _form_page(
        request,
        form,
        title=title,
        intro=_(
            "Mỗi đơn vị trực thuộc được chuyển cũng phải ban hành kế hoạch và quán triệt đến "
            "cán bộ của mình, tính từ ngày chuyển."
        ),
        cancel_url=back,
        submit_label=_("Chuyển văn bản"),
        crumbs=_receipt_crumbs(found, title),
    )


# --------------------------------------------------------------------------------------------
# the member's side


@person_required
def pending(request: HttpRequest, person: Person) -> HttpResponse:
    day = today()
    return render(
        request,
        "cascade/pending.html",
        {
            "to_acknowledge": queries.my_pending_acknowledgements(person, day),
            "to_handle": queries.receipts_to_handle(person, day),
            "breadcrumbs": _crumbs(),
            "nav_active": "directives",
        },
    )


@require_POST
@person_required
def acknowledge(request: HtmxRequest, person: Person, receipt_id: int) -> HttpResponse:
    found = receipt_get_for_actor(actor=person, pk=receipt_id)
    try:
        ack = run_command(services.receipt_acknowledge, actor=person, receipt=found)
    except AuthorityError as error:  # not a member of the unit: there is no form to show it on
        raise PermissionDenied(error.message) from error
    if request.htmx:
        return render(request, "cascade/_ack.html", {"r": found, "ack": ack})
    messages.success(
        request,
        _("Đã xác nhận quán triệt văn bản %(number)s.") % {"number": found.directive.number_symbol},
    )
    return redirect(next_url(request, reverse("cascade:pending")))


__all__ = [
    "acknowledge",
    "deploy",
    "forward",
    "overview",
    "pending",
    "plan",
    "receipt",
    "send",
]
