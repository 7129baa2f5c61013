"""The registry's unit pages: the list, a unit's page and its children, and the changes to a
unit (add a child unit, edit, move, close, merge).

Each page fetches the unit through unit_get_for_actor (a unit the person may not see is the 404
page), refuses a change without registry.manage over it (the 403 page with the authority's
reason), then runs one command through form_command: a refusal goes back onto the form, next to
the field it names.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from baro.core.pages import HtmxRequest, deny_unless, form_command, person_required
from baro.core.timeutil import format_date, today
from baro.org import forms
from baro.org import queries as org_queries
from baro.org import services as org_services
from baro.org.history import readable
from baro.org.models import Person, SuccessionKind, Unit
from baro.org.permissions import (
    UnitReach,
    can_view,
    may_manage,
    may_view_registry,
    unit_card_get_for_actor,
    unit_get_for_actor,
)
from baro.org.views._shared import (
    HISTORY_PAGE_SIZE,
    PAGE_SIZE,
    carry,
    crumbs,
    form_page,
    unit_url,
)


@person_required
def unit_list(request: HttpRequest, person: Person) -> HttpResponse:
    deny_unless(may_view_registry(person))
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
            "breadcrumbs": [*crumbs()[:-1], {"label": _("Cơ cấu tổ chức"), "url": ""}],
            "nav_active": "org",
        },
    )


@person_required
def unit_detail(request: HtmxRequest, person: Person, pk: int) -> HttpResponse:
    """A unit's page: all of it for who may view the unit in the registry, its public card
    (information, mandate, head) for a member, someone in a unit below, or who works with it."""
    unit, full = unit_card_get_for_actor(person, pk)
    reach = UnitReach(person)
    successors = org_queries.current_successors(unit)
    predecessors = list(unit.predecessions.select_related("predecessor"))
    breadcrumbs = [*crumbs(unit, linkable=reach.card)[:-1], {"label": unit.name, "url": ""}]
    if not may_view_registry(person):
        breadcrumbs[1]["url"] = ""  # the registry's list would refuse them
    context: dict[str, object] = {
        "unit": unit,
        "full": full,
        "active": unit.is_active_on(today()),
        "head": org_queries.unit_head(unit),
        "successors": successors,
        "predecessors": predecessors,
        "linked_ids": reach.card_ids(
            [*([unit.parent] if unit.parent else []), *successors]
            + [s.predecessor for s in predecessors]
        ),
        "breadcrumbs": breadcrumbs,
        "nav_active": "org",
    }
    if not full:
        return render(request, "org/unit_detail.html", context)
    history = Paginator(org_queries.unit_history(unit), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    history.object_list = readable(history.object_list)
    if request.htmx and request.GET.get("part") == "history":
        return render(request, "org/unit_detail.html#history", {"unit": unit, "page_obj": history})
    context |= {
        "positions": org_queries.unit_positions(unit),
        "position_history": org_queries.unit_position_history(unit),
        "children": org_queries.children(unit),
        "page_obj": history,
        "can_manage": bool(may_manage(person, unit)),
    }
    return render(request, "org/unit_detail.html", context)


@require_GET
@person_required
def unit_children(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    """The children of a unit, as a fragment for the lazily expanded tree."""
    unit = unit_get_for_actor(person, pk)
    return render(
        request, "org/_children.html", {"children": org_queries.children(unit), "parent": unit}
    )


# --------------------------------------------------------------------------------------------
# units: changes


@person_required
def unit_create(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    parent = unit_get_for_actor(person, pk)
    deny_unless(may_manage(person, parent))
    form = forms.UnitCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = form_command(
            form,
            org_services.unit_create,
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
        if unit is not None:
            messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": unit.name})
            return redirect(unit_url(unit))
    return form_page(
        request,
        form,
        title=_("Thêm đơn vị trực thuộc"),
        unit=parent,
        cancel_url=unit_url(parent),
        submit_label=_("Thêm đơn vị"),
        intro=_("Đơn vị mới trực thuộc %(name)s.") % {"name": parent.name},
    )


@person_required
def unit_edit(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = unit_get_for_actor(person, pk)
    deny_unless(may_manage(person, unit))
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
            return redirect(unit_url(unit))
        updated = form_command(form, org_services.unit_update, actor=person, unit=unit, **changes)
        if updated is not None:
            messages.success(request, _("Đã lưu thông tin đơn vị."))
            return redirect(unit_url(unit))
    return form_page(
        request,
        form,
        title=_("Sửa thông tin đơn vị"),
        unit=unit,
        cancel_url=unit_url(unit),
        submit_label=_("Lưu thay đổi"),
    )


@person_required
def unit_move(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = unit_get_for_actor(person, pk)
    deny_unless(may_manage(person, unit))
    form = forms.UnitMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moved = form_command(
            form,
            org_services.unit_move,
            actor=person,
            unit=unit,
            new_parent=form.cleaned_data["new_parent"],
        )
        if moved is not None:
            messages.success(request, _("Đã chuyển đơn vị sang cấp trên mới."))
            return redirect(unit_url(unit))
    return form_page(
        request,
        form,
        title=_("Chuyển đơn vị sang cấp trên khác"),
        unit=unit,
        cancel_url=unit_url(unit),
        submit_label=_("Chuyển đơn vị"),
        intro=_("Cả các đơn vị trực thuộc cũng chuyển theo."),
    )


@person_required
def unit_close(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = unit_get_for_actor(person, pk)
    deny_unless(may_manage(person, unit))
    form = forms.UnitCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirmed") == "1":
            closed = form_command(
                form,
                org_services.unit_close,
                aliases={"unit": "", "on": "on"},
                actor=person,
                unit=unit,
                on=data["on"],
                successor=data["successor"],
                kind=data["kind"],
                decision_ref=data["decision_ref"],
                note=data["note"],
            )
            if closed is not None:
                messages.success(
                    request,
                    _("Đơn vị %(name)s hết hiệu lực từ ngày %(day)s.")
                    % {"name": unit.name, "day": format_date(data["on"])},
                )
                return redirect(unit_url(unit))
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
                        (_("Hình thức"), SuccessionKind(data["kind"]).label),
                        (_("Đơn vị kế thừa"), successor.name if successor else "—"),
                        (_("Quyết định"), data["decision_ref"] or "—"),
                    ],
                    "carry": carry(form),
                    "confirm_label": _("Xác nhận giải thể"),
                    "cancel_url": unit_url(unit),
                    "breadcrumbs": crumbs(unit, _("Giải thể, sáp nhập")),
                },
            )
    return form_page(
        request,
        form,
        title=_("Giải thể, sáp nhập đơn vị"),
        unit=unit,
        cancel_url=unit_url(unit),
        submit_label=_("Tiếp tục"),
        intro=_("Đơn vị không bị xóa: nó hết hiệu lực từ ngày đã chọn, lịch sử vẫn còn."),
    )


@person_required
def unit_merge(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = unit_get_for_actor(person, pk)
    deny_unless(may_manage(person, unit))
    form = forms.UnitMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        into: Unit = data["into"]
        others: list[Unit] = data["others"]
        if not can_view(person, into):
            form.add_error("into", _("Không có đơn vị nào mã “%(code)s”.") % {"code": into.code})
        elif not (decision := may_manage(person, into)):
            form.add_error("into", decision.reason)
        hidden = [u.code for u in others if not can_view(person, u)]
        if hidden:
            form.add_error("others", _("Không có đơn vị nào mã “%(code)s”.") % {"code": hidden[0]})
    if request.method == "POST" and form.is_valid():
        units = [unit, *data["others"]]
        if request.POST.get("confirmed") == "1":
            merged = form_command(
                form,
                org_services.unit_merge,
                aliases={"successor": "into", "units": "others", "unit": ""},
                actor=person,
                units=units,
                into=into,
                on=data["on"],
                decision_ref=data["decision_ref"],
            )
            if merged is not None:
                messages.success(
                    request,
                    _("Đã hợp nhất %(names)s vào %(into)s từ ngày %(day)s.")
                    % {
                        "names": ", ".join(u.name for u in units),
                        "into": into.name,
                        "day": format_date(data["on"]),
                    },
                )
                return redirect(unit_url(into))
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
                    "carry": carry(form),
                    "confirm_label": _("Xác nhận hợp nhất"),
                    "cancel_url": unit_url(unit),
                    "breadcrumbs": crumbs(unit, _("Hợp nhất vào đơn vị khác")),
                    "nav_active": "org",
                },
            )
    return form_page(
        request,
        form,
        title=_("Hợp nhất vào đơn vị khác"),
        unit=unit,
        cancel_url=unit_url(unit),
        submit_label=_("Tiếp tục"),
        intro=_(
            "%(name)s hết hiệu lực từ ngày đã chọn; đơn vị tiếp nhận là đơn vị kế thừa. "
            "Đơn vị không bị xóa, lịch sử vẫn còn."
        )
        % {"name": unit.name},
    )
