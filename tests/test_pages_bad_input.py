"""Every page, opened with ids and query parameters no form would send, answers without a
server error: the pages come from the URL map, so a new page is covered the day it is added.
On the demo city, as the administrator and as the city's chairman (between them every page
of the site), each page is opened with ids that exist, do not exist or do not fit in a
database integer; each page without an id (the lists, where filters are read) with each usual
filter parameter set to a value that is neither a number nor a date, to a number past 64 bits
and to a NUL character, one at a time (a first refusal must not hide a later failure); each
page with an id with all of them at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from baro.demo import load_demo
from baro.org.models import Person

pytestmark = pytest.mark.django_db

HUGE = str(2**63)
IDS = ("1", "0", HUGE)
PARAMETERS = (
    "unit", "unit_id", "officer", "directive", "person", "status", "timing", "kind", "tab",
    "q", "page", "year", "date_from", "deadline_from", "loc",
)  # fmt: skip
VALUES = ("2026-02-30", HUGE, "\x00")  # not a number nor a date; past 64 bits; NUL
# The chairman opens the lists one parameter at a time; the administrator, who alone sees a few
# pages (the ledger, tokens, webhooks), all parameters at once.
PERSONAS = {"chutich": True, "admin": False}


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _pages() -> list[str]:
    """Every route of the site but the API's (tests/test_api_bad_input.py) and the language
    switch, its converters replaced by a placeholder."""
    pages = []
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(("api/", "^api/", "i18n/")):
            continue
        pages.append("/" + re.sub(r"<(?:\w+:)?\w+>", "{id}", route))
    return sorted(set(pages))


def test_no_page_fails_on_ids_or_parameters_it_does_not_expect() -> None:
    load_demo(seed=24)
    pages = _pages()
    assert len(pages) > 80, pages
    failures: list[str] = []
    for username, one_at_a_time in PERSONAS.items():
        client = Client(raise_request_exception=False)
        client.force_login(Person.objects.get(user__username=username).user)
        for page in pages:
            for value in IDS if "{id}" in page else ("",):
                path = page.replace("{id}", value)
                queries: list[dict[str, str]] = [{}]
                if value == "" and one_at_a_time:
                    queries += [{name: bad} for name in PARAMETERS for bad in VALUES]
                elif value in ("", "1"):
                    queries += [{name: bad for name in PARAMETERS} for bad in VALUES]
                for query in queries:
                    response = client.get(path, query)
                    if response.status_code >= 500:
                        failures.append(f"{username} GET {path} {query!r}: {response.status_code}")
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])
