"""The delegation pages: the delegations one gave or received, granting one of one's own powers,
and revoking one (the delegator, or registry.manage over its unit; a delegation the person may
not see is the 404 page).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from baro.core.pages import deny_unless, form_command, person_required
from baro.core.timeutil import now
from baro.org import forms
from baro.org import queries as org_queries
from baro.org import services as org_services
from baro.org.models import Person
from baro.org.permissions import UnitReach, delegation_get_for_actor, may_manage


@person_required
def delegation_list(request: HttpRequest, person: Person) -> HttpResponse:
    delegations = list(org_queries.delegations_for(person))
    visible_ids = UnitReach(person).card_ids(d.unit for d in delegations)
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
        granted = form_command(
            form,
            org_services.delegation_grant,
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
        if granted is not None:
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
    delegation = delegation_get_for_actor(person, pk)
    if person.pk not in (delegation.delegator_id, delegation.delegate_id):
        deny_unless(may_manage(person, delegation.unit))
    form = forms.DelegationRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revoked = form_command(
            form,
            org_services.delegation_revoke,
            actor=person,
            delegation=delegation,
            reason=form.cleaned_data["reason"],
        )
        if revoked is not None:
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
