"""The small kit every area's pages and endpoints use: who is asking, where to go back to, and
how one command runs for a request.

It sits beside core and imports no area: the signed-in person is read through the user's
`person` relation (baro.org defines it), and a refusal is anything falsy with a `reason`.
The page shell (home, navigation, the ledger pages) lives in the entry layer, baro.web.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, Protocol, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from baro.core.errors import AuthorityError, DomainError
from baro.core.run import run_command

T = TypeVar("T")


class HtmxRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it: `request.htmx` says whether htmx sent
    it (for the views that answer a fragment)."""

    htmx: HtmxDetails


def attach_error(
    form: forms.Form, error: DomainError, aliases: Mapping[str, str] | None = None
) -> None:
    """Show a command's refusal on the form: next to its field when the form has it (the
    command's field name, or its alias in this form), else at the top of the form."""
    field = error.field or ""
    field = (aliases or {}).get(field, field)
    if field in form.fields:
        form.add_error(field, error.message)
    else:
        form.add_error(None, error.message)


def form_command(
    form: forms.Form,
    command: Callable[..., T],
    /,
    *,
    aliases: Mapping[str, str] | None = None,
    **arguments: Any,
) -> T | None:
    """Run `command` for a valid `form` (run_command): its result, or None when it refused,
    with the refusal next to the field it names. A refusal of authority is the 403 page: the
    person may not do this at all, whatever they type. (Commands return what they changed,
    never None.)"""
    try:
        return run_command(command, **arguments)
    except AuthorityError as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        attach_error(form, error, aliases)
        return None


def message_command(
    request: HttpRequest, command: Callable[..., T], /, **arguments: Any
) -> T | None:
    """Run a command of a page without a form (a button, a confirmation) through run_command:
    its result, or None when it refused, with the refusal as a message on the page the view
    goes back to. A refusal of authority is the 403 page, as with form_command."""
    try:
        return run_command(command, **arguments)
    except AuthorityError as error:
        raise PermissionDenied(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return None


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go back to: the request's `next` (form, then query string) when it is a path
    on this site, else `default`. Only a path: redirect() takes a bare word ("²") for the name
    of a view and fails, and another host would make the form an open redirect."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default


def request_person(request: HttpRequest) -> Any:
    """The signed-in user's Person of the registry (baro.org.models.Person), or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def person_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Require a signed-in user who is an active Person of the registry; pass the person to
    the view after the request."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        person = request_person(request)
        if person is None or not person.is_active:
            raise PermissionDenied(_("Tài khoản này chưa gắn với cán bộ nào đang công tác."))
        return view(request, person, *args, **kwargs)

    return wrapper


class Answer(Protocol):
    """An authority's yes or no (baro.org.authority.Decision): falsy when refused."""

    @property
    def reason(self) -> str: ...

    def __bool__(self) -> bool: ...


A = TypeVar("A", bound=Answer)


def deny_unless(decision: A) -> A:
    """Raise PermissionDenied with the authority's Vietnamese reason when the answer is no."""
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision
