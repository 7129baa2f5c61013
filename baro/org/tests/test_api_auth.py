"""BearerToken reads the Authorization header from META (not request.headers): the same token
out of every header value as ninja's HttpBearer, and no mapping of all headers built for it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st
from ninja.security import HttpBearer

from baro.org.api_auth import BearerToken


class _NinjaReference(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return ("token", token)


class _Ours(BearerToken):
    def authenticate(self, request: HttpRequest, token: str) -> Any:  # type: ignore[override]
        return ("token", token)


HEADERS = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda scheme, sep, token: f"{scheme}{sep}{token}",
        st.sampled_from(["Bearer", "bearer", "BEARER", "Basic", "Token", "Bearer:", ""]),
        st.sampled_from([" ", "  ", "\t", ""]),
        st.text(max_size=20),
    ),
)


def test_same_token_as_ninjas_bearer_for_any_header() -> None:
    factory = RequestFactory()

    @settings(max_examples=400, deadline=None)
    @given(st.one_of(st.none(), HEADERS))
    def same(value: str | None) -> None:
        extra = {} if value is None else {"HTTP_AUTHORIZATION": value}
        request = factory.get("/api/v1/org/units", **extra)
        assert _Ours()(request) == _NinjaReference()(request)

    same()


def test_known_headers() -> None:
    factory = RequestFactory()
    ours = _Ours()
    for value, expected in [
        ("Bearer abc", ("token", "abc")),
        ("bearer abc", ("token", "abc")),
        ("Bearer a b", ("token", "a b")),
        ("Bearer ", ("token", "")),
        ("Basic abc", None),
        ("Bearerabc", None),
        ("", None),
    ]:
        assert ours(factory.get("/", HTTP_AUTHORIZATION=value)) == expected, value
    assert ours(factory.get("/")) is None


def test_does_not_build_request_headers() -> None:
    request = RequestFactory().get("/", HTTP_AUTHORIZATION="Bearer abc", HTTP_X_OTHER="1")
    _Ours()(request)
    assert "headers" not in request.__dict__  # the cached_property was never computed
