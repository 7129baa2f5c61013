"""The registry's people pages: the list, a person's page, editing them, registering someone in
a unit and appointing someone from their page.

A person is fetched through person_get_for_actor: someone the viewer may not see (no position in
a unit they may see) is the 404 page. Changes take registry.manage over the person (a unit where
they hold a position), decided exactly as the commands decide it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baro.core.pages import HtmxRequest, deny_unless, form_command, person_required
from baro.core.timeutil import now, today
from baro.org import forms
from baro.org import queries as org_queries
from baro.org import services as org_services
from baro.org.history import readable
from baro.org.models import Person, Position
from baro.org.permissions import (
    UnitReach,
    can_view,
    may_manage,
    may_manage_anywhere,
    may_manage_person,
    may_view_registry,
    person_get_for_actor,
    unit_get_for_actor,
)
from baro.org.views._shared import (
    HISTORY_PAGE_SIZE,
    PAGE_SIZE,
    carry,
    form_page,
    people_crumbs,
    person_url,
    unit_url,
)

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


@person_required
def person_create(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    unit = unit_get_for_actor(person, pk)
    deny_unless(may_manage(person, unit))
    form = forms.PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = form_command(
            form,
            org_services.person_create,
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
        if created is not None:
            messages.success(request, _("Đã thêm cán bộ %(name)s.") % {"name": created.full_name})
            return redirect(unit_url(unit))
    return form_page(
        request,
        form,
        title=_("Thêm cán bộ"),
        unit=unit,
        cancel_url=unit_url(unit),
        submit_label=_("Thêm cán bộ"),
        intro=_("Cán bộ thuộc %(name)s; có thể tạo luôn tài khoản đăng nhập.")
        % {"name": unit.name},
    )


@person_required
def person_list(request: HttpRequest, person: Person) -> HttpResponse:
    deny_unless(may_view_registry(person))
    form = forms.PersonSearchForm(request.GET or None)
    query = form.cleaned_data if form.is_valid() else {"q": "", "unit": None, "inactive": False}
    unit = query.get("unit")
    if unit is not None and not can_view(person, unit):
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
            "breadcrumbs": [*people_crumbs(person)[:-1], {"label": _("Cán bộ"), "url": ""}],
            "nav_active": "people",
        },
        status=400 if form.errors else 200,
    )


@person_required
def person_detail(request: HtmxRequest, person: Person, pk: int) -> HttpResponse:
    target = person_get_for_actor(person, pk)
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
    visible_ids = UnitReach(person).card_ids(
        [p.unit for p in positions] + [d.unit for d in delegations]
    )
    others = {d.delegator_id for d in delegations} | {d.delegate_id for d in delegations}
    linkable_ids = {person.pk} | set(
        Position.objects.filter(
            person_id__in=others, unit__in=org_queries.units_visible_to(person).values("pk")
        ).values_list("person_id", flat=True)
    )
    manages_target = bool(may_manage_person(person, target))
    return render(
        request,
        "org/person_detail.html",
        {
            "target": target,
            "is_self": target.pk == person.pk,
            "current": current,
            "positions": positions,
            "endable_ids": {p.pk for p in current if may_manage(person, p.unit)},
            "given": [d for d in delegations if d.delegator_id == target.pk],
            "received": [d for d in delegations if d.delegate_id == target.pk],
            "visible_ids": visible_ids,
            "linkable_ids": linkable_ids,
            "may_manage": manages_target,
            "may_appoint": target.is_active and bool(may_manage_anywhere(person)),
            "may_tokens": target.pk == person.pk or manages_target,
            "page_obj": history,
            "now": now(),
            "breadcrumbs": [
                *people_crumbs(person, target)[:-1],
                {"label": target.full_name, "url": ""},
            ],
            "nav_active": "people",
        },
    )


@person_required
def person_edit(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    target = person_get_for_actor(person, pk)
    deny_unless(may_manage_person(person, target))
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
            return redirect(person_url(target))
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
                    "carry": carry(form),
                    "confirm_label": _("Xác nhận thôi công tác"),
                    "cancel_url": person_url(target),
                    "breadcrumbs": people_crumbs(person, target, title),
                    "nav_active": "people",
                },
            )
        updated = form_command(
            form, org_services.person_update, actor=person, person=target, **changes
        )
        if updated is not None:
            messages.success(request, _("Đã lưu thông tin cán bộ."))
            return redirect(person_url(target))
    return form_page(
        request,
        form,
        title=title,
        unit=None,
        cancel_url=person_url(target),
        submit_label=_("Lưu thay đổi"),
        intro=f"{target.full_name} · {target.code}",
        breadcrumbs=people_crumbs(person, target, title),
        nav_active="people",
    )


@person_required
def person_appoint(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    """Appoint a person to a position, from their page: the unit is chosen by code."""
    target = person_get_for_actor(person, pk)
    deny_unless(may_manage_anywhere(person))
    form = forms.PersonAppointForm(request.POST or None)
    title = _("Bổ nhiệm chức vụ")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["unit"]
        if not can_view(person, unit):
            form.add_error("unit", _("Không có đơn vị nào mã “%(code)s”.") % {"code": unit.code})
        elif not (decision := may_manage(person, unit)):
            form.add_error("unit", decision.reason)
        else:
            position = form_command(
                form,
                org_services.position_appoint,
                aliases={"person": ""},
                actor=person,
                person=target,
                unit=unit,
                role=data["role"],
                title=data["title"],
                valid_from=data["valid_from"],
                decision_ref=data["decision_ref"],
            )
            if position is not None:
                messages.success(
                    request,
                    _("Đã bổ nhiệm %(name)s: %(role)s.")
                    % {"name": target.full_name, "role": position.get_role_display()},
                )
                return redirect(person_url(target))
    return form_page(
        request,
        form,
        title=title,
        unit=None,
        cancel_url=person_url(target),
        submit_label=_("Bổ nhiệm"),
        intro=f"{target.full_name} · {target.code}",
        breadcrumbs=people_crumbs(person, target, title),
        nav_active="people",
    )
