"""Every page, opened with ids and query parameters no form would send, answers without a
server error: the pages come from the URL map, so a new page is covered the day it is added.

On the demo city, as a department's director, the city's chairman and the administrator
(between them every page of the site), each page is opened with ids that exist, do not exist
or do not fit in a database integer, and with all the usual filter parameters at once set to
"²", to a number past 64 bits and to NUL; the director also opens each page without an id
(the lists, where filters are read) with one parameter at a time past 64 bits (a first
refusal must not hide a later failure). Then every page is posted every field of every form
at once, set to each of those values."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from baro.demo import load_demo
from baro.org.models import Person

pytestmark = pytest.mark.django_db

HUGE = str(2**63)
IDS = ("1", "0", HUGE)
FORM_MODULES = {
    "baro.cascade.forms", "baro.notify.forms", "baro.org.forms", "baro.oversight.forms",
    "baro.web.forms", "baro.work.forms", "baro.workdays.forms",
}  # fmt: skip
# What the views read from a query string, by hand or through a filter form.
PARAMETERS = (
    "unit", "unit_id", "officer", "directive", "person", "group", "flag", "dau-hieu", "status",
    "timing", "kind", "scope", "part", "q", "tim", "page", "year", "date_from", "deadline_from",
    "loc", "next", "issuing_unit", "target_unit",
)  # fmt: skip
# "²" is a digit to str.isdigit() but not to int(); HUGE is past 64 bits; NUL is refused by
# PostgreSQL. A value is tried one parameter at a time only where an earlier refusal would hide
# it: a number past 64 bits passes int() and every check but the database's own; "²" fails at
# int() itself, NUL where text reaches the database or a spreadsheet unchecked, both found with
# all parameters at once (one at a time they would double the run).
ONE_AT_A_TIME = (HUGE,)
ALL_AT_ONCE = ("²", HUGE, "\x00")
# The Finance Department's director (who assigns, urges and writes letters, over a smaller tree
# than the chairman's, so the pages render faster) tries the parameters one at a time; the
# chairman and the administrator (who alone sees the ledger, tokens and webhooks) all at once.
PERSONAS = {"giamdoc.stc": True, "chutich": False, "admin": False}


def _form_fields() -> list[str]:
    """Every field of every form the site defines, and what views read from a POST by hand."""
    names = {"next", "id", "all", "tasks", "lead_unit"}
    for module_name in sorted(FORM_MODULES):
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names.update(value.base_fields)
    return sorted(names)


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
                if value in ("", "1"):
                    queries += [{name: bad for name in PARAMETERS} for bad in ALL_AT_ONCE]
                if value == "" and one_at_a_time:
                    queries += [{name: bad} for name in PARAMETERS for bad in ONE_AT_A_TIME]
                for query in queries:
                    response = client.get(path, query)
                    if response.status_code >= 500:
                        failures.append(f"{username} GET {path} {query!r}: {response.status_code}")
    # Every form posted to every page at once with all its fields wrong (as the director and the
    # chairman, on the pages of the demo's first rows).
    fields = _form_fields()
    assert len(fields) > 60, fields
    for username in ("giamdoc.stc", "chutich"):
        client = Client(raise_request_exception=False)
        client.force_login(Person.objects.get(user__username=username).user)
        for page in pages:
            if page == "/dang-xuat/":
                continue
            path = page.replace("{id}", "1")
            for bad in ALL_AT_ONCE:
                response = client.post(path, dict.fromkeys(fields, bad))
                if response.status_code >= 500:
                    failures.append(f"{username} POST {path} all = {bad!r}: {response.status_code}")
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])
