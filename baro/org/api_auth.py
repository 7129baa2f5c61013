"""API authentication: a bearer token for integrations, or the browser's session."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from baro.core.errors import AuthorityError
from baro.core.sql import row_by
from baro.org.models import ApiToken, Person


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> Person | None:
        """ninja's HttpBearer, reading the one header from META: `request.headers` would
        first copy every header of the request into a new mapping, on every API call.
        Same rule: "Bearer" in any case, then everything after the first space."""
        value = request.META.get("HTTP_AUTHORIZATION")
        if not value:
            return None
        scheme, _, token = value.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> Person | None:
        # One plain statement: this runs before every API call (see row_by).
        try:
            found = row_by(ApiToken, "token_hash", hash_token(token), related="person")
        except ApiToken.DoesNotExist:
            return None
        if found.revoked_at is not None or not found.person.is_active:
            return None
        if found.expires_at is not None and found.expires_at <= timezone.now():
            return None
        return found.person


class SessionPerson(SessionAuth):
    """The browser's session, CSRF-checked on writes as ninja does, but only when there is a
    session to forge: a request with no token (or a wrong one) and no logged-in session
    answers 401 auth.required on every method, not ninja's "403 CSRF check Failed"."""

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            return super().__call__(request)
        except HttpError as exc:
            raise AuthorityError(
                gettext(
                    "Yêu cầu từ phiên đăng nhập trình duyệt thiếu mã chống giả mạo (CSRF) hợp lệ."
                ),
                code="auth.csrf_failed",
            ) from exc

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return getattr(user, "person", None)
        return None


api_auth = [BearerToken(), SessionPerson()]


def request_person(request: HttpRequest) -> Person:
    """The Person the API request acts as (set by one of api_auth)."""
    person = request.auth  # type: ignore[attr-defined]
    assert isinstance(person, Person)
    return person
