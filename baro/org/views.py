"""Pages of the organisation registry (/to-chuc/): thin views over queries and services.

Each view finds what the person may see (else 404), checks the power for a change (else 403
with the authority's reason), parses a form, calls one service, then redirects with a message.
A service's DomainError goes back onto the form next to the field it names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from baro.core.errors import AuthorityError, DomainError, NotFoundError
from baro.core.pages import attach_error, deny_unless, next_url, person_required
from baro.core.timeutil import format_date, now, today
from baro.org import authority, forms
from baro.org import queries as org_queries
from baro.org import services as org_services
from baro.org.authority import Power
from baro.org.history import readable
from baro.org.models import ApiToken, Delegation, Person, Position, Unit
from baro.org.services import org_import

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 20


# --------------------------------------------------------------------------------------------
# helpers


def _visible_unit(person: Person, pk: int) -> Unit:
    """The unit, if the person may see it; else 404 (hidden units are not confirmed to exist)."""
    try:
        return org_queries.unit_get(actor=person, pk=pk)
    except NotFoundError as error:
        raise Http404(error.message) from error


def _may_manage(person: Person, unit: Unit) -> authority.Decision:
    return deny_unless(authority.check(person, Power.REGISTRY_MANAGE, unit))


def _crumbs(unit: Unit | None = None, *extra: str) -> list[dict[str, str]]:
    crumbs = [
        {"label": _("Trang chủ"), "url": reverse("home")},
        {"label": _("Cơ cấu tổ chức"), "url": reverse("org:unit_list")},
    ]
    if unit is not None:
        for ancestor in org_queries.ancestors(unit):
            crumbs.append(
                {"label": ancestor.short_name or ancestor.name, "url": _unit_url(ancestor)}
            )
        crumbs.append({"label": unit.name, "url": _unit_url(unit)})
    crumbs.extend({"label": label, "url": ""} for label in extra)
    return crumbs


def _unit_url(unit: Unit) -> str:
    return reverse("org:unit_detail", args=[unit.pk])


def _refused(form: Any, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    if isinstance(error, AuthorityError):
        raise PermissionDenied(error.message)
    attach_error(form, error, aliases)


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    unit: Unit | None,
    cancel_url: str,
    submit_label: str,
    intro: str = "",
    status: int = 200,
    breadcrumbs: list[dict[str, str]] | None = None,
    nav_active: str = "org",
) -> HttpResponse:
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "page_title": title,
            "intro": intro,
            "cancel_url": cancel_url,
            "submit_label": submit_label,
            "breadcrumbs": breadcrumbs or _crumbs(unit, title),
            "nav_active": nav_active,
        },
        status=status if not form.errors else 400,
    )


def _person_url(target: Person) -> str:
    return reverse("org:person_detail", args=[target.pk])


def _person_authority(actor: Person, target: Person) -> authority.Decision:
    """registry.manage over `target`, decided exactly as person_update and the API token
    commands decide it (over a unit where they hold a position)."""
    return authority.check_over_person(actor, target, Power.REGISTRY_MANAGE)


def _visible_person(actor: Person, pk: int) -> Person:
    """The person, if `actor` may see them: themself, someone who holds or held a position in a
    unit `actor` may see, or (never appointed anywhere) someone `actor` may manage; else 404."""
    target = Person.objects.filter(pk=pk, is_system=False).select_related("user").first()
    if target is None:
        raise Http404(_("Không tìm thấy cán bộ."))
    if target.pk == actor.pk:
        return target
    unit_ids = Position.objects.filter(person=target).values("unit_id")
    if org_queries.units_visible_to(actor).filter(pk__in=unit_ids).exists():
        return target
    if not Position.objects.filter(person=target).exists() and _person_authority(actor, target):
        return target
    raise Http404(_("Không tìm thấy cán bộ."))


PERSON_FIELD_LABELS = {
    "full_name": gettext_lazy("Họ và tên"),
    "email": gettext_lazy("Thư điện tử"),
    "phone": gettext_lazy("Điện thoại"),
    "is_active": gettext_lazy("Đang công tác"),
}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("có") if value else _("không")
    return str(value) if value not in (None, "") else "—"


def _with_changes(events: list[Any]) -> list[Any]:
    """Give each readable event `changes`: (label, before, after) of a person's edited fields."""
    for event in events:
        changes = []
        payload = event.payload if isinstance(event.payload, dict) else {}
        if event.action == "org.person.updated":
            before, after = payload.get("before") or {}, payload.get("after") or {}
            for name in payload.get("fields") or []:
                if name in PERSON_FIELD_LABELS and before.get(name) != after.get(name):
                    changes.append(
                        (
                            PERSON_FIELD_LABELS[name],
                            _shown(before.get(name)),
                            _shown(after.get(name)),
                        )
                    )
        event.changes = changes
    return events


def _people_crumbs(
    actor: Person, target: Person | None = None, *extra: str
) -> list[dict[str, str]]:
    crumbs = [{"label": _("Trang chủ"), "url": reverse("home")}]
    if authority.holds_anywhere(actor, Power.REGISTRY_VIEW):
        crumbs.append({"label": _("Cán bộ"), "url": reverse("org:person_list")})
    if target is not None:
        crumbs.append({"label": target.full_name, "url": _person_url(target)})
    crumbs.extend({"label": label, "url": ""} for label in extra)
    return crumbs


def _carry(form: Any) -> list[tuple[str, str]]:
    """The submitted values of a validated form, to carry through a confirmation page."""
    pairs: list[tuple[str, str]] = []
    for name in form.fields:
        for value in form.data.getlist(name):
            pairs.append((name, value))
    return pairs


# --------------------------------------------------------------------------------------------
# units: list, detail, fragments


@person_required
def unit_list(request: HttpRequest, person: Person) -> HttpResponse:
    deny_unless(authority.holds_anywhere(person, Power.REGISTRY_VIEW))
    form = forms.UnitSearchForm(request.GET or None)
    query = form.cleaned_data if form.is_valid() else {"q": "", "kind": "", "closed": False}
    units = org_queries.unit_search(
        query["q"] or "",
        kind=query["kind"] or None,
        include_closed=bool(query["closed"]),
        within=org_queries.units_visible_to(person),
    )
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    searching = bool(query["q"] or query["kind"])
    return render(
        request,
        "org/unit_list.html",
        {
            "form": form,
            "page_obj": page,
            "searching": searching,
            "today": today(),
            "breadcrumbs": [*_crumbs()[:-1], {"label": _("Cơ cấu tổ chức"), "url": ""}],
            "nav_active": "org",
        },
    )


@person_required
def unit_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = _visible_unit(person, pk)
    powers = authority.powers_over(person, unit)
    history = Paginator(org_queries.unit_history(unit), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    history.object_list = readable(history.object_list)
    if request.htmx and request.GET.get("part") == "history":
        return render(request, "org/unit_detail.html#history", {"unit": unit, "page_obj": history})
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "active": unit.is_active_on(today()),
            "head": org_queries.unit_head(unit),
            "positions": org_queries.unit_positions(unit),
            "position_history": org_queries.unit_position_history(unit),
            "children": org_queries.children(unit),
            "successors": org_queries.current_successors(unit),
            "predecessors": unit.predecessions.select_related("predecessor"),
            "page_obj": history,
            "can_manage": Power.REGISTRY_MANAGE in powers,
            "breadcrumbs": [*_crumbs(unit)[:-1], {"label": unit.name, "url": ""}],
            "nav_active": "org",
        },
    )


@require_GET
@person_required
def unit_children(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    """The children of a unit, as a fragment for the lazily expanded tree."""
    unit = _visible_unit(person, pk)
    return render(
        request, "org/_children.html", {"children": org_queries.children(unit), "parent": unit}
    )


# --------------------------------------------------------------------------------------------
# units: changes


@person_required
def unit_create(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    parent = _visible_unit(person, pk)
    _may_manage(person, parent)
    form = forms.UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = org_services.unit_create(
                actor=person,
                parent=parent,
                code=data["code"].strip(),
                name=data["name"].strip(),
                kind=data["kind"],
                short_name=data["short_name"],
                mandate=data["mandate"],
                address=data["address"],
                valid_from=data["valid_from"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": unit.name})
            return redirect(_unit_url(unit))
    return _form_page(
        request,
        form,
        title=_("Thêm đơn vị trực thuộc"),
        unit=parent,
        cancel_url=_unit_url(parent),
        submit_label=_("Thêm đơn vị"),
        intro=_("Đơn vị mới trực thuộc %(name)s.") % {"name": parent.name},
    )


@person_required
def unit_edit(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = _visible_unit(person, pk)
    _may_manage(person, unit)
    initial = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "mandate": unit.mandate,
        "address": unit.address,
    }
    form = forms.UnitEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        if not changes:
            messages.info(request, _("Không có thay đổi nào."))
            return redirect(_unit_url(unit))
        try:
            org_services.unit_update(actor=person, unit=unit, **changes)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin đơn vị."))
            return redirect(_unit_url(unit))
    return _form_page(
        request,
        form,
        title=_("Sửa thông tin đơn vị"),
        unit=unit,
        cancel_url=_unit_url(unit),
        submit_label=_("Lưu thay đổi"),
    )


@person_required
def unit_move(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = _visible_unit(person, pk)
    _may_manage(person, unit)
    form = forms.UnitMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.unit_move(
                actor=person, unit=unit, new_parent=form.cleaned_data["new_parent"]
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã chuyển đơn vị sang cấp trên mới."))
            return redirect(_unit_url(unit))
    return _form_page(
        request,
        form,
        title=_("Chuyển đơn vị sang cấp trên khác"),
        unit=unit,
        cancel_url=_unit_url(unit),
        submit_label=_("Chuyển đơn vị"),
        intro=_("Cả các đơn vị trực thuộc cũng chuyển theo."),
    )


@person_required
def unit_close(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = _visible_unit(person, pk)
    _may_manage(person, unit)
    form = forms.UnitCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirmed") == "1":
            try:
                org_services.unit_close(
                    actor=person,
                    unit=unit,
                    on=data["on"],
                    successor=data["successor"],
                    kind=data["kind"],
                    decision_ref=data["decision_ref"],
                    note=data["note"],
                )
            except DomainError as error:
                _refused(form, error, {"unit": "", "on": "on"})
            else:
                messages.success(
                    request,
                    _("Đơn vị %(name)s hết hiệu lực từ ngày %(day)s.")
                    % {"name": unit.name, "day": format_date(data["on"])},
                )
                return redirect(_unit_url(unit))
        else:
            successor = data["successor"]
            return render(
                request,
                "web/confirm.html",
                {
                    "page_title": _("Xác nhận giải thể, sáp nhập đơn vị"),
                    "question": _(
                        "Đơn vị %(name)s sẽ hết hiệu lực. Các chức vụ đang giữ tại đơn vị "
                        "kết thúc theo; lịch sử vẫn được giữ. Anh/chị chắc chắn?"
                    )
                    % {"name": unit.name},
                    "facts": [
                        (_("Đơn vị"), f"{unit.name} ({unit.code})"),
                        (_("Hết hiệu lực từ ngày"), format_date(data["on"])),
                        (_("Hình thức"), dict(form.fields["kind"].choices)[data["kind"]]),
                        (_("Đơn vị kế thừa"), successor.name if successor else "—"),
                        (_("Quyết định"), data["decision_ref"] or "—"),
                    ],
                    "carry": _carry(form),
                    "confirm_label": _("Xác nhận giải thể"),
                    "cancel_url": _unit_url(unit),
                    "breadcrumbs": _crumbs(unit, _("Giải thể, sáp nhập")),
                },
            )
    return _form_page(
        request,
        form,
        title=_("Giải thể, sáp nhập đơn vị"),
        unit=unit,
        cancel_url=_unit_url(unit),
        submit_label=_("Tiếp tục"),
        intro=_("Đơn vị không bị xóa: nó hết hiệu lực từ ngày đã chọn, lịch sử vẫn còn."),
    )


@person_required
def unit_merge(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = _visible_unit(person, pk)
    _may_manage(person, unit)
    form = forms.UnitMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        into: Unit = data["into"]
        others: list[Unit] = data["others"]
        if not org_queries.can_view(person, into):
            form.add_error("into", _("Không có đơn vị nào mã “%(code)s”.") % {"code": into.code})
        elif not (decision := authority.check(person, Power.REGISTRY_MANAGE, into)):
            form.add_error("into", decision.reason)
        hidden = [u.code for u in others if not org_queries.can_view(person, u)]
        if hidden:
            form.add_error("others", _("Không có đơn vị nào mã “%(code)s”.") % {"code": hidden[0]})
    if request.method == "POST" and form.is_valid():
        units = [unit, *data["others"]]
        if request.POST.get("confirmed") == "1":
            try:
                org_services.unit_merge(
                    actor=person,
                    units=units,
                    into=into,
                    on=data["on"],
                    decision_ref=data["decision_ref"],
                )
            except DomainError as error:
                _refused(form, error, {"successor": "into", "units": "others", "unit": ""})
            else:
                messages.success(
                    request,
                    _("Đã hợp nhất %(names)s vào %(into)s từ ngày %(day)s.")
                    % {
                        "names": ", ".join(u.name for u in units),
                        "into": into.name,
                        "day": format_date(data["on"]),
                    },
                )
                return redirect(_unit_url(into))
        else:
            ending = [
                f"{p.person.full_name} — {p.title or p.get_role_display()} "
                f"({u.short_name or u.name})"
                for u in units
                for p in org_queries.unit_positions(u)
            ]
            return render(
                request,
                "web/confirm.html",
                {
                    "page_title": _("Xác nhận hợp nhất đơn vị"),
                    "question": _(
                        "Từ ngày %(day)s, %(names)s hết hiệu lực và hợp nhất vào %(into)s. "
                        "Mọi chức vụ đang giữ tại đơn vị hết hiệu lực kết thúc cùng ngày; "
                        "%(into)s được ghi là đơn vị kế thừa, nhận lại nhiệm vụ. Lịch sử vẫn "
                        "được giữ. Anh/chị chắc chắn?"
                    )
                    % {
                        "day": format_date(data["on"]),
                        "names": ", ".join(u.name for u in units),
                        "into": into.name,
                    },
                    "facts": [
                        (
                            _("Đơn vị hết hiệu lực"),
                            "; ".join(f"{u.name} ({u.code})" for u in units),
                        ),
                        (_("Đơn vị kế thừa"), f"{into.name} ({into.code})"),
                        (_("Hết hiệu lực từ ngày"), format_date(data["on"])),
                        (
                            _("Chức vụ sẽ kết thúc"),
                            "; ".join(ending) or _("Không có chức vụ nào đang giữ."),
                        ),
                        (_("Quyết định"), data["decision_ref"] or "—"),
                    ],
                    "carry": _carry(form),
                    "confirm_label": _("Xác nhận hợp nhất"),
                    "cancel_url": _unit_url(unit),
                    "breadcrumbs": _crumbs(unit, _("Hợp nhất vào đơn vị khác")),
                    "nav_active": "org",
                },
            )
    return _form_page(
        request,
        form,
        title=_("Hợp nhất vào đơn vị khác"),
        unit=unit,
        cancel_url=_unit_url(unit),
        submit_label=_("Tiếp tục"),
        intro=_(
            "%(name)s hết hiệu lực từ ngày đã chọn; đơn vị tiếp nhận là đơn vị kế thừa. "
            "Đơn vị không bị xóa, lịch sử vẫn còn."
        )
        % {"name": unit.name},
    )


# --------------------------------------------------------------------------------------------
# people and positions


@person_required
def person_create(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = _visible_unit(person, pk)
    _may_manage(person, unit)
    form = forms.PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = org_services.person_create(
                actor=person,
                unit=unit,
                full_name=data["full_name"].strip(),
                code=data["code"].strip(),
                email=data["email"],
                phone=data["phone"],
                username=data["username"].strip() or None,
                password=data["password"] or None,
                role=data["role"] or None,
                title=data["title"],
                valid_from=data["valid_from"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã thêm cán bộ %(name)s.") % {"name": created.full_name})
            return redirect(_unit_url(unit))
    return _form_page(
        request,
        form,
        title=_("Thêm cán bộ"),
        unit=unit,
        cancel_url=_unit_url(unit),
        submit_label=_("Thêm cán bộ"),
        intro=_("Cán bộ thuộc %(name)s; có thể tạo luôn tài khoản đăng nhập.")
        % {"name": unit.name},
    )


@person_required
def position_appoint(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = _visible_unit(person, pk)
    _may_manage(person, unit)
    form = forms.PositionAppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            position = org_services.position_appoint(
                actor=person,
                person=data["person"],
                unit=unit,
                role=data["role"],
                title=data["title"],
                valid_from=data["valid_from"],
                decision_ref=data["decision_ref"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Đã bổ nhiệm %(name)s: %(role)s.")
                % {"name": position.person.full_name, "role": position.get_role_display()},
            )
            return redirect(_unit_url(unit))
    return _form_page(
        request,
        form,
        title=_("Bổ nhiệm chức vụ"),
        unit=unit,
        cancel_url=_unit_url(unit),
        submit_label=_("Bổ nhiệm"),
    )


@person_required
def head_replace(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = _visible_unit(person, pk)
    _may_manage(person, unit)
    current = org_queries.unit_head(unit)
    form = forms.HeadReplaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            position = org_services.head_replace(
                actor=person,
                unit=unit,
                person=data["person"],
                title=data["title"],
                on=data["on"],
                decision_ref=data["decision_ref"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("%(name)s là người đứng đầu %(unit)s.")
                % {"name": position.person.full_name, "unit": unit.name},
            )
            return redirect(_unit_url(unit))
    if current is not None:
        intro = _(
            "Người đứng đầu hiện tại: %(name)s. Người này sẽ thôi giữ chức từ ngày đã chọn."
        ) % {"name": current.person.full_name}
    else:
        intro = _("Đơn vị đang khuyết người đứng đầu.")
    return _form_page(
        request,
        form,
        title=_("Bổ nhiệm người đứng đầu") if current is None else _("Thay người đứng đầu"),
        unit=unit,
        cancel_url=_unit_url(unit),
        submit_label=_("Bổ nhiệm"),
        intro=intro,
    )


@person_required
def position_end(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    position = Position.objects.select_related("person", "unit").filter(pk=pk).first()
    if position is None:
        raise Http404
    unit = _visible_unit(person, position.unit_id)
    _may_manage(person, unit)
    back = next_url(request, _unit_url(unit))
    form = forms.PositionEndForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirmed") == "1":
            try:
                org_services.position_end(
                    actor=person, position=position, on=data["on"], reason=data["reason"]
                )
            except DomainError as error:
                _refused(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s thôi giữ chức từ ngày %(day)s.")
                    % {"name": position.person.full_name, "day": format_date(data["on"])},
                )
                return redirect(back)
        else:
            return render(
                request,
                "web/confirm.html",
                {
                    "page_title": _("Xác nhận cho thôi giữ chức vụ"),
                    "question": _("Anh/chị chắc chắn cho %(name)s thôi giữ chức vụ này?")
                    % {"name": position.person.full_name},
                    "facts": [
                        (_("Cán bộ"), position.person.full_name),
                        (_("Chức vụ"), position.title or position.get_role_display()),
                        (_("Đơn vị"), unit.name),
                        (_("Từ ngày"), format_date(data["on"])),
                        (_("Lý do"), data["reason"]),
                    ],
                    "carry": _carry(form),
                    "confirm_label": _("Xác nhận thôi giữ chức"),
                    "cancel_url": back,
                    "breadcrumbs": _crumbs(unit, _("Thôi giữ chức vụ")),
                },
            )
    return _form_page(
        request,
        form,
        title=_("Thôi giữ chức vụ"),
        unit=unit,
        cancel_url=back,
        submit_label=_("Tiếp tục"),
        intro=f"{position.person.full_name} — {position.title or position.get_role_display()}",
    )


# --------------------------------------------------------------------------------------------
# people pages


@person_required
def person_list(request: HttpRequest, person: Person) -> HttpResponse:
    deny_unless(authority.holds_anywhere(person, Power.REGISTRY_VIEW))
    form = forms.PersonSearchForm(request.GET or None)
    query = form.cleaned_data if form.is_valid() else {"q": "", "unit": None, "inactive": False}
    unit = query.get("unit")
    if unit is not None and not org_queries.can_view(person, unit):
        form.add_error("unit", _("Không có đơn vị nào mã “%(code)s”.") % {"code": unit.code})
    if form.errors:
        people = Person.objects.none()
    else:
        people = org_queries.person_search(
            query["q"] or "",
            within=unit or org_queries.units_visible_to(person),
            include_inactive=bool(query["inactive"]),
        ).prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.filter(org_queries.active_on(today()))
                .select_related("unit")
                .order_by("unit__depth", "role"),
                to_attr="current_positions",
            )
        )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/person_list.html",
        {
            "form": form,
            "page_obj": page,
            "filtered_unit": unit if not form.errors else None,
            "breadcrumbs": [*_people_crumbs(person)[:-1], {"label": _("Cán bộ"), "url": ""}],
            "nav_active": "people",
        },
        status=400 if form.errors else 200,
    )


@person_required
def person_detail(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    target = _visible_person(person, pk)
    history = Paginator(org_queries.person_history(target), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    history.object_list = _with_changes(readable(history.object_list))
    if request.htmx and request.GET.get("part") == "history":
        return render(
            request, "org/person_detail.html#history", {"target": target, "page_obj": history}
        )
    day = today()
    positions = list(org_queries.person_positions(target))
    current = [p for p in positions if p.is_active_on(day)]
    delegations = list(org_queries.delegations_for(target))
    unit_ids = {p.unit_id for p in positions} | {d.unit_id for d in delegations}
    visible_ids = set(
        org_queries.units_visible_to(person).filter(pk__in=unit_ids).values_list("pk", flat=True)
    )
    others = {d.delegator_id for d in delegations} | {d.delegate_id for d in delegations}
    linkable_ids = {person.pk} | set(
        Position.objects.filter(
            person_id__in=others, unit__in=org_queries.units_visible_to(person).values("pk")
        ).values_list("person_id", flat=True)
    )
    may_manage = bool(_person_authority(person, target))
    return render(
        request,
        "org/person_detail.html",
        {
            "target": target,
            "is_self": target.pk == person.pk,
            "current": current,
            "positions": positions,
            "endable_ids": {
                p.pk for p in current if authority.check(person, Power.REGISTRY_MANAGE, p.unit)
            },
            "given": [d for d in delegations if d.delegator_id == target.pk],
            "received": [d for d in delegations if d.delegate_id == target.pk],
            "visible_ids": visible_ids,
            "linkable_ids": linkable_ids,
            "may_manage": may_manage,
            "may_appoint": target.is_active
            and bool(authority.holds_anywhere(person, Power.REGISTRY_MANAGE)),
            "may_tokens": target.pk == person.pk or may_manage,
            "page_obj": history,
            "now": now(),
            "breadcrumbs": [
                *_people_crumbs(person, target)[:-1],
                {"label": target.full_name, "url": ""},
            ],
            "nav_active": "people",
        },
    )


@person_required
def person_edit(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    target = _visible_person(person, pk)
    deny_unless(_person_authority(person, target))
    initial = {
        "full_name": target.full_name,
        "email": target.email,
        "phone": target.phone,
        "is_active": target.is_active,
    }
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    title = _("Sửa thông tin cán bộ")
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial[k]}
        if not changes:
            messages.info(request, _("Không có thay đổi nào."))
            return redirect(_person_url(target))
        if changes.get("is_active") is False and request.POST.get("confirmed") != "1":
            return render(
                request,
                "web/confirm.html",
                {
                    "page_title": _("Xác nhận cán bộ thôi công tác"),
                    "question": _(
                        "%(name)s sẽ được ghi là đã thôi công tác: tài khoản đăng nhập bị khóa, "
                        "không nhận được ủy quyền hay chức vụ mới. Các chức vụ đang giữ không tự "
                        "kết thúc: hãy cho thôi giữ chức riêng. Anh/chị chắc chắn?"
                    )
                    % {"name": target.full_name},
                    "facts": [
                        (_("Cán bộ"), f"{target.full_name} ({target.code})"),
                        (
                            _("Chức vụ đang giữ"),
                            "; ".join(
                                f"{p.title or p.get_role_display()} — {p.unit.name}"
                                for p in org_queries.person_positions(target, current_only=True)
                            )
                            or "—",
                        ),
                    ],
                    "carry": _carry(form),
                    "confirm_label": _("Xác nhận thôi công tác"),
                    "cancel_url": _person_url(target),
                    "breadcrumbs": _people_crumbs(person, target, title),
                    "nav_active": "people",
                },
            )
        try:
            org_services.person_update(actor=person, person=target, **changes)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin cán bộ."))
            return redirect(_person_url(target))
    return _form_page(
        request,
        form,
        title=title,
        unit=None,
        cancel_url=_person_url(target),
        submit_label=_("Lưu thay đổi"),
        intro=f"{target.full_name} · {target.code}",
        breadcrumbs=_people_crumbs(person, target, title),
        nav_active="people",
    )


@person_required
def person_appoint(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    """Appoint a person to a position, from their page: the unit is chosen by code."""
    target = _visible_person(person, pk)
    deny_unless(authority.holds_anywhere(person, Power.REGISTRY_MANAGE))
    form = forms.PersonAppointForm(request.POST or None)
    title = _("Bổ nhiệm chức vụ")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["unit"]
        if not org_queries.can_view(person, unit):
            form.add_error("unit", _("Không có đơn vị nào mã “%(code)s”.") % {"code": unit.code})
        elif not (decision := authority.check(person, Power.REGISTRY_MANAGE, unit)):
            form.add_error("unit", decision.reason)
        else:
            try:
                position = org_services.position_appoint(
                    actor=person,
                    person=target,
                    unit=unit,
                    role=data["role"],
                    title=data["title"],
                    valid_from=data["valid_from"],
                    decision_ref=data["decision_ref"],
                )
            except DomainError as error:
                _refused(form, error, {"person": ""})
            else:
                messages.success(
                    request,
                    _("Đã bổ nhiệm %(name)s: %(role)s.")
                    % {"name": target.full_name, "role": position.get_role_display()},
                )
                return redirect(_person_url(target))
    return _form_page(
        request,
        form,
        title=title,
        unit=None,
        cancel_url=_person_url(target),
        submit_label=_("Bổ nhiệm"),
        intro=f"{target.full_name} · {target.code}",
        breadcrumbs=_people_crumbs(person, target, title),
        nav_active="people",
    )


# --------------------------------------------------------------------------------------------
# API tokens


NEW_TOKEN_KEY = "baro_new_api_token"  # noqa: S105 (a session key, not a secret)


def _tokens_url(actor: Person, target: Person) -> str:
    if actor.pk == target.pk:
        return reverse("org:token_list")
    return reverse("org:person_tokens", args=[target.pk])


@person_required
def token_list(request: HttpRequest, person: Person, pk: int | None = None) -> HttpResponse:
    """A person's API tokens (one's own at /ma-truy-cap/; an administrator's view of someone
    in their subtree from the person page): list, and issue one, shown once."""
    target = person if pk is None else _visible_person(person, pk)
    if target.pk != person.pk:
        deny_unless(_person_authority(person, target))
    initial = {"expires_on": today() + dt.timedelta(days=90)}
    form = forms.ApiTokenIssueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issued, raw = org_services.api_token_issue(
                actor=person,
                person=target,
                name=form.cleaned_data["name"].strip(),
                expires_at=form.expires_at(),
            )
        except DomainError as error:
            _refused(form, error, {"expires_at": "expires_on"})
        else:
            # Post/redirect/get: a reload must not issue a second token. The secret waits in the
            # session only until the page right after this redirect takes it out.
            request.session[NEW_TOKEN_KEY] = {"id": issued.pk, "raw": raw}
            return redirect(_tokens_url(person, target))
    tokens = list(org_queries.api_tokens_of(target))
    fresh = request.session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None
    issued = next((t for t in tokens if fresh and t.pk == fresh.get("id")), None)
    raw = fresh["raw"] if issued is not None and fresh else ""
    title = _("Mã truy cập API")
    response = render(
        request,
        "org/token_list.html",
        {
            "target": target,
            "is_self": target.pk == person.pk,
            "tokens": tokens,
            "form": form,
            "issued": issued,
            "raw_token": raw,
            "now": now(),
            "breadcrumbs": _people_crumbs(person, target, title),
            "nav_active": "tokens" if target.pk == person.pk else "people",
        },
        status=400 if form.errors else 200,
    )
    if raw:
        response["Cache-Control"] = "no-store"
    return response


@person_required
def token_revoke(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    token = ApiToken.objects.select_related("person").filter(pk=pk).first()
    if token is None:
        raise Http404
    target = token.person
    if target.pk != person.pk:
        target = _visible_person(person, target.pk)
        deny_unless(_person_authority(person, target))
    back = _tokens_url(person, target)
    if token.revoked_at is not None:
        messages.info(request, _("Mã truy cập này đã bị thu hồi."))
        return redirect(back)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            org_services.api_token_revoke(actor=person, token=token)
        except DomainError as error:
            if isinstance(error, AuthorityError):
                raise PermissionDenied(error.message) from error
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã thu hồi mã truy cập %(name)s.") % {"name": token.name})
        return redirect(back)
    return render(
        request,
        "web/confirm.html",
        {
            "page_title": _("Xác nhận thu hồi mã truy cập"),
            "question": _(
                "Từ lúc thu hồi, mọi phần mềm đang dùng mã “%(name)s” không truy cập Baro được "
                "nữa. Việc này không hoàn tác được. Anh/chị chắc chắn?"
            )
            % {"name": token.name},
            "facts": [
                (_("Của cán bộ"), target.full_name),
                (_("Tên"), token.name),
                (_("Tiền tố"), f"{token.prefix}…"),
                (
                    _("Cấp lúc"),
                    dateformat.format(timezone.localtime(token.created_at), "d/m/Y H:i"),
                ),
            ],
            "carry": [],
            "confirm_label": _("Xác nhận thu hồi"),
            "cancel_url": back,
            "breadcrumbs": _people_crumbs(person, target, _("Thu hồi mã truy cập")),
            "nav_active": "tokens" if target.pk == person.pk else "people",
        },
    )


# --------------------------------------------------------------------------------------------
# delegations


@person_required
def delegation_list(request: HttpRequest, person: Person) -> HttpResponse:
    delegations = list(org_queries.delegations_for(person))
    visible_ids = {d.unit_id for d in delegations if org_queries.can_view(person, d.unit)}
    return render(
        request,
        "org/delegation_list.html",
        {
            "delegations": delegations,
            "visible_ids": visible_ids,
            "now": now(),
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": _("Ủy quyền"), "url": ""},
            ],
            "nav_active": "delegation",
        },
    )


@person_required
def delegation_grant(request: HttpRequest, person: Person) -> HttpResponse:
    form = forms.DelegationGrantForm(
        request.POST or None, initial=forms.default_delegation_window()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org_services.delegation_grant(
                actor=person,
                delegator=person,
                delegate=data["delegate"],
                unit=data["unit"],
                powers=data["powers"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                reason=data["reason"],
                decision_ref=data["decision_ref"],
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Đã ủy quyền cho %(name)s.") % {"name": data["delegate"].full_name},
            )
            return redirect("org:delegation_list")
    return render(
        request,
        "web/form_page.html",
        {
            "form": form,
            "page_title": _("Giao ủy quyền"),
            "intro": _(
                "Chỉ ủy quyền được những quyền anh/chị đang có, trong phạm vi và thời hạn rõ ràng."
            ),
            "cancel_url": reverse("org:delegation_list"),
            "submit_label": _("Giao ủy quyền"),
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": _("Ủy quyền"), "url": reverse("org:delegation_list")},
                {"label": _("Giao ủy quyền"), "url": ""},
            ],
            "nav_active": "delegation",
        },
        status=400 if form.errors else 200,
    )


@person_required
def delegation_revoke(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    delegation = (
        Delegation.objects.select_related("delegator", "delegate", "unit").filter(pk=pk).first()
    )
    if delegation is None:
        raise Http404
    party = person.pk in (delegation.delegator_id, delegation.delegate_id)
    if not party and not authority.check(person, Power.REGISTRY_MANAGE, delegation.unit):
        raise Http404
    form = forms.DelegationRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.delegation_revoke(
                actor=person, delegation=delegation, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã thu hồi ủy quyền."))
            return redirect("org:delegation_list")
    return render(
        request,
        "org/delegation_revoke.html",
        {
            "form": form,
            "delegation": delegation,
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": _("Ủy quyền"), "url": reverse("org:delegation_list")},
                {"label": _("Thu hồi ủy quyền"), "url": ""},
            ],
            "nav_active": "delegation",
        },
        status=400 if form.errors else 200,
    )


# --------------------------------------------------------------------------------------------
# import


@person_required
def import_units(request: HttpRequest, person: Person) -> HttpResponse:
    deny_unless(authority.holds_anywhere(person, Power.REGISTRY_IMPORT))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result: Any = None
    problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = org_import(
                actor=person,
                data=upload.read(),
                filename=upload.name,
                parent=form.cleaned_data["parent"],
            )
        except DomainError as error:
            if isinstance(error, AuthorityError):
                raise PermissionDenied(error.message) from error
            problems = list(error.details.get("rows") or error.details.get("problems") or [])
            form.add_error(None, error.message)
    return render(
        request,
        "org/import.html",
        {
            "form": form,
            "result": result,
            "problems": problems,
            "breadcrumbs": [
                {"label": _("Trang chủ"), "url": reverse("home")},
                {"label": _("Cơ cấu tổ chức"), "url": reverse("org:unit_list")},
                {"label": _("Nhập từ tệp"), "url": ""},
            ],
            "nav_active": "import",
        },
        status=400 if form.errors else 200,
    )
