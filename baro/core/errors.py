"""Errors every layer understands: a stable code for machines, a message for people.

The message is written in Vietnamese and marked for translation (gettext with named
placeholders), so it reads in the language of the request that raised it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils.translation import gettext, gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def refusal_line(code: str, message: str) -> str:
    """A refusal as the command line prints it, on one line, in the active language."""
    return gettext("Lỗi [%(code)s]: %(message)s") % {"code": code, "message": message}


class DomainError(Exception):
    """A command refused its input or the current state; nothing was changed.

    `code` is stable (API clients and tests match on it), `message` is for people, in the
    language active when the error is raised (a lazy message is turned into text here),
    `field` names the form field or import column at fault, when there is one.
    """

    http_status = 400

    def __init__(
        self,
        code: str,
        message: StrOrPromise,
        *,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        message = str(message)
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class AuthorityError(DomainError):
    """The actor lacks the power for this action on this object."""

    http_status = 403

    def __init__(self, message: StrOrPromise, *, code: str = "auth.denied", **kwargs: Any) -> None:
        super().__init__(code, message, **kwargs)


NOT_FOUND = gettext_lazy("Không tìm thấy.")


class NotFoundError(DomainError, Http404):
    """The object does not exist, or is outside what the actor may see.

    Also an Http404, so a page that fetches through an area's `<thing>_get_for_actor` answers
    with the 404 page by itself, while the API answers its JSON error with the stable code.
    """

    http_status = 404

    def __init__(self, message: StrOrPromise = NOT_FOUND, *, code: str = "not_found") -> None:
        super().__init__(code, message)


class ConflictError(DomainError):
    """The change clashes with the current state (a second head, a duplicate code)."""

    http_status = 409


@contextmanager
def state_conflicts(codes: frozenset[str]) -> Iterator[None]:
    """Answer a command's refusal because of the current state (its code one of `codes`) as a
    conflict (409) over HTTP. Commands raise those as plain DomainErrors (400), the code pages
    and tests match on; only the status changes here, never the code or the message."""
    try:
        yield
    except ConflictError:
        raise
    except DomainError as exc:
        if exc.code not in codes:
            raise
        raise ConflictError(exc.code, exc.message, field=exc.field, details=exc.details) from exc
