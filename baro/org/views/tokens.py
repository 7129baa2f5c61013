"""The API token pages: one's own tokens (/ma-truy-cap/) and, for an administrator, those of
someone they manage (from the person's page); issue one (its secret shown once) and revoke one.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from baro.core.pages import deny_unless, form_command, message_command, person_required
from baro.core.timeutil import now, today
from baro.org import forms
from baro.org import queries as org_queries
from baro.org import services as org_services
from baro.org.models import Person
from baro.org.permissions import may_manage_tokens, person_get_for_actor, token_get_for_actor
from baro.org.views._shared import people_crumbs

NEW_TOKEN_KEY = "baro_new_api_token"  # noqa: S105 (a session key, not a secret)


def _tokens_url(actor: Person, target: Person) -> str:
    if actor.pk == target.pk:
        return reverse("org:token_list")
    return reverse("org:person_tokens", args=[target.pk])


@person_required
def token_list(request: HttpRequest, person: Person, pk: int | None = None) -> HttpResponse:
    """A person's API tokens (one's own at /ma-truy-cap/; an administrator's view of someone
    in their subtree from the person page): list, and issue one, shown once."""
    target = person if pk is None else person_get_for_actor(person, pk)
    deny_unless(may_manage_tokens(person, target))
    initial = {"expires_on": today() + dt.timedelta(days=90)}
    form = forms.ApiTokenIssueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        issued_pair = form_command(
            form,
            org_services.api_token_issue,
            aliases={"expires_at": "expires_on"},
            actor=person,
            person=target,
            name=form.cleaned_data["name"].strip(),
            expires_at=form.expires_at(),
        )
        if issued_pair is not None:
            new_token, secret = issued_pair
            # Post/redirect/get: a reload must not issue a second token. The secret waits in the
            # session only until the page right after this redirect takes it out.
            request.session[NEW_TOKEN_KEY] = {"id": new_token.pk, "raw": secret}
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
            "breadcrumbs": people_crumbs(person, target, title),
            "nav_active": "tokens" if target.pk == person.pk else "people",
        },
        status=400 if form.errors else 200,
    )
    if raw:
        response["Cache-Control"] = "no-store"
    return response


@person_required
def token_revoke(request: HttpRequest, person: Person, pk: int) -> HttpResponse:
    token = token_get_for_actor(person, pk)
    target = token.person
    deny_unless(may_manage_tokens(person, target))
    back = _tokens_url(person, target)
    if token.revoked_at is not None:
        messages.info(request, _("Mã truy cập này đã bị thu hồi."))
        return redirect(back)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        revoked = message_command(
            request, org_services.api_token_revoke, actor=person, token=token
        )
        if revoked is not None:
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
            "breadcrumbs": people_crumbs(person, target, _("Thu hồi mã truy cập")),
            "nav_active": "tokens" if target.pk == person.pk else "people",
        },
    )
