"""Every operation of the API, fed bad input, answers with a JSON error and a stable code:
never a 500, never an HTML page.

The operations come from the OpenAPI document itself, so a new endpoint is covered the day it
is added. On the demo city (real rows in every state), as the administrator, the city's
chairman and an officer, each operation gets: path ids that exist, do not exist or do not fit
in a database integer; query parameters of the wrong type; and bodies that are not JSON, not
an object, empty, or otherwise well typed with one field at a time replaced by a value of the
wrong type, an out-of-range number, an impossible date or an overlong text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baro.api import api
from baro.core.inputs import MAX_DEADLINE_DAYS
from baro.core.paging import MAX_LIMIT
from baro.core.timeutil import today
from baro.demo import load_demo
from baro.org import services as org_services
from baro.org.models import Person, Unit
from baro.testing.org import World
from baro.testing.work import WorkWorld, assign, bearer, work_snapshot
from baro.work.models import Task

pytestmark = pytest.mark.django_db

HUGE = 2**63  # one past the largest 64-bit integer a database column holds
PATH_IDS: tuple[object, ...] = (1, 0, -1, HUGE, 10**30, "abc")
WRONG_QUERY_VALUES = ("abc", str(HUGE), "-1", "2026-02-30", "x" * 3000, "\x00")
PERSONAS = ("admin", "chutich", "chuyenvien.stc")


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], document)
    return schema


def _concrete(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The first non-null choice of an Optional (anyOf [X, null])."""
    schema = _resolve(schema, document)
    for choice in schema.get("anyOf", []):
        choice = _resolve(choice, document)
        if choice.get("type") != "null":
            return choice
    return schema


def _sample(schema: dict[str, Any], document: dict[str, Any]) -> Any:
    """A well-typed value for `schema` (not necessarily one the command accepts)."""
    schema = _concrete(schema, document)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: _sample(sub, document)
            for name, sub in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return today().isoformat()
    if schema.get("format") == "date-time":
        return f"{today().isoformat()}T08:00:00+07:00"
    return "Thử"


def _wrong_values(schema: dict[str, Any], document: dict[str, Any]) -> list[Any]:
    schema = _concrete(schema, document)
    kind = schema.get("type")
    values: list[Any] = [None, [], {"x": 1}]
    if kind == "integer" or kind == "number":
        values += ["abc", HUGE, -HUGE, 10**30, -1, 0, 1.5]
    elif kind == "boolean":
        values += ["abc", 2]
    elif kind == "array":
        item = schema.get("items", {})
        values += ["abc", [None], [HUGE], [_wrong_values(item, document)[-1]] * 3]
    elif kind == "object":
        values += ["abc", 7]
    else:
        values += [12345, "", "   ", "x" * 100_000, "2026-02-30", "0000-00-00", "\x00"]
    return values


def _bodies(operation: dict[str, Any], document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(content type, raw body) pairs."""
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        yield "multipart/form-data", {}
        yield "multipart/form-data", {"file": "không phải tệp"}
    if "application/json" not in content:
        return
    schema = _resolve(content["application/json"]["schema"], document)
    for raw in ("{", "[]", '"chuỗi"', "null", "{}", "\xff"):
        yield "application/json", raw
    base = _sample(schema, document)
    for name, sub in schema.get("properties", {}).items():
        for value in _wrong_values(sub, document):
            yield "application/json", json.dumps({**base, name: value})
        # One level down (coordinators, items): an object the field holds, or a list of them.
        field = _concrete(sub, document)
        inner = _resolve(field.get("items", field), document)
        for inner_name, inner_sub in inner.get("properties", {}).items():
            for value in _wrong_values(inner_sub, document):
                nested = {**_sample(inner, document), inner_name: value}
                held = [nested] if "items" in field else nested
                yield "application/json", json.dumps({**base, name: held})


def _calls(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for template, item in document["paths"].items():
        for method, operation in item.items():
            params = operation.get("parameters", [])
            path_names = [p["name"] for p in params if p["in"] == "path"]
            ids = PATH_IDS if path_names else (None,)
            for value in ids:
                path = template
                for name in path_names:
                    path = path.replace("{" + name + "}", str(value))
                yield method, path, {}
                if value == 1:
                    for param in params:
                        if param["in"] != "query":
                            continue
                        for wrong in WRONG_QUERY_VALUES:
                            yield method, path, {"query": {param["name"]: wrong}}
                    if method in ("post", "put", "patch"):
                        for content_type, body in _bodies(operation, document):
                            yield method, path, {"content_type": content_type, "data": body}


def _client(person: Person, admin: Person) -> Client:
    _, raw = org_services.api_token_issue(actor=admin, person=person, name="kiểm thử đầu vào")
    return Client(headers={"Authorization": f"Bearer {raw}"}, raise_request_exception=False)


def _send(client: Client, method: str, path: str, call: dict[str, Any]) -> Any:
    if "query" in call:
        return client.generic(method.upper(), path, QUERY_STRING=urlencode(call["query"]))
    if call.get("content_type") == "multipart/form-data":
        return client.post(path, data=call["data"])
    if "data" in call:
        return client.generic(
            method.upper(), path, data=call["data"], content_type=call["content_type"]
        )
    return client.generic(method.upper(), path)


def test_bad_input_to_every_operation_gets_a_json_error_never_a_500() -> None:
    load_demo(seed=24)
    document = api.get_openapi_schema()
    admin = Person.objects.get(user__username="admin")
    clients = {
        username: _client(Person.objects.get(user__username=username), admin)
        for username in PERSONAS
    }
    calls = list(_calls(document))
    assert len(calls) > 1000, len(calls)  # every operation, many times over
    failures: list[str] = []
    for username, client in clients.items():
        for method, path, call in calls:
            response = _send(client, method, path, call)
            problem = ""
            if response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
            elif response.status_code >= 400:
                if not response.get("Content-Type", "").startswith("application/json"):
                    problem = f"HTTP {response.status_code} as {response.get('Content-Type')}"
                elif not re.fullmatch(r"[a-z_.0-9]+", str(response.json().get("code", ""))):
                    problem = f"HTTP {response.status_code} without a code: {response.content!r}"
            if problem:
                sent = json.dumps(call, ensure_ascii=False)[:300]
                failures.append(f"{username} {method.upper()} {path} {sent}: {problem}")
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:40])


# --------------------------------------------------------------------------------------------
# bounds: every field documents one, and the parser refuses what lies past it


PAGING = frozenset({"limit", "offset", "page", "page_size"})  # clamped: baro.core.paging


def _unbounded(name: str, schema: dict[str, Any], document: dict[str, Any]) -> list[str]:
    """The fields of `schema` (nested objects and list items too) with no documented bound."""
    schema = _concrete(schema, document)
    kind = schema.get("type")
    if "enum" in schema or kind == "boolean":
        return []
    if kind in ("integer", "number"):
        return [] if "minimum" in schema and "maximum" in schema else [f"{name}: no min/max"]
    if kind == "array":
        found = [] if "maxItems" in schema else [f"{name}: no maxItems"]
        return found + _unbounded(f"{name}[]", schema.get("items", {}), document)
    if kind == "object":
        return [
            problem
            for inner, sub in schema.get("properties", {}).items()
            for problem in _unbounded(f"{name}.{inner}", sub, document)
        ]
    if schema.get("format") in ("date", "date-time"):
        return [] if "x-baro-range" in schema else [f"{name}: no date range"]
    if schema.get("format") == "binary":
        return []
    return [] if "maxLength" in schema else [f"{name}: no maxLength"]


def _inputs(document: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(method, path, where, schema) of every query parameter and request body."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for param in operation.get("parameters", []):
                if param["in"] == "query" and param["name"] not in PAGING:
                    yield method, path, f"query {param['name']}", param["schema"]
            for content_type, content in (
                operation.get("requestBody", {}).get("content", {}).items()
            ):
                yield method, path, content_type, content["schema"]


def test_every_field_of_every_request_documents_its_bound() -> None:
    document = api.get_openapi_schema()
    problems = [
        f"{method.upper()} {path} {where} {problem}"
        for method, path, where, schema in _inputs(document)
        for problem in _unbounded("", schema, document)
    ]
    assert not problems, "\n".join(problems)


def _past_bounds(schema: dict[str, Any], document: dict[str, Any]) -> list[Any]:
    """Values just past (and far past) the documented bound of `schema`."""
    schema = _concrete(schema, document)
    kind = schema.get("type")
    if "enum" in schema or kind == "boolean":
        return []
    if kind in ("integer", "number"):
        return [schema["maximum"] + 1, schema["minimum"] - 1, HUGE, -HUGE, 10**30]
    if kind == "array":
        item = _sample(schema.get("items", {}), document)
        return [[item] * (schema["maxItems"] + 1)]
    if kind == "object":
        return []
    if schema.get("format") == "date":
        return ["9999-12-31", "0001-01-01", f"{today().year + 11}-01-01"]
    if schema.get("format") == "date-time":
        return ["9999-12-31T08:00:00+07:00", f"{today().year - 31}-01-01T08:00:00+07:00"]
    return ["x" * (schema["maxLength"] + 1)]


def _out_of_range_calls(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path with ids 1, call) sending one value past its bound, naming the field."""
    for method, template, where, schema in _inputs(document):
        path = re.sub(r"\{[^}]+\}", "1", template)
        if where.startswith("query "):
            name = where.removeprefix("query ")
            for value in _past_bounds(schema, document):
                yield method, path, {"query": {name: value}, "field": name}
            continue
        if where != "application/json":
            continue
        body = _resolve(schema, document)
        base = _sample(body, document)
        for name, sub in body.get("properties", {}).items():
            for value in _past_bounds(sub, document):
                data = json.dumps({**base, name: value})
                yield method, path, {"content_type": where, "data": data, "field": name}
            field = _concrete(sub, document)
            inner = _resolve(field.get("items", field), document)
            for inner_name, inner_sub in inner.get("properties", {}).items():
                for value in _past_bounds(inner_sub, document):
                    nested = {**_sample(inner, document), inner_name: value}
                    held = [nested] if "items" in field else nested
                    data = json.dumps({**base, name: held})
                    yield method, path, {"content_type": where, "data": data, "field": inner_name}


def test_a_value_past_its_bound_is_refused_by_the_parser_naming_the_field(world: World) -> None:
    """deadline_days 2**63 (3.5 s of CPU, then a 500), 10 million calendar days (a 500), a
    deadline in the year 9999, a 100,001-character title: each is a 422 naming the field,
    before any command (or any lookup of the ids in the path) runs."""
    document = api.get_openapi_schema()
    client = bearer(world.admin)
    client.raise_request_exception = False
    calls = list(_out_of_range_calls(document))
    assert len(calls) > 400, len(calls)
    failures = []
    for method, path, call in calls:
        field = call.pop("field")
        response = _send(client, method, path, call)
        details = response.json().get("details", []) if response.status_code == 422 else []
        named = any(field in error.get("loc", []) for error in details)
        if response.status_code != 422 or not named:
            sent = json.dumps(call, ensure_ascii=False)[:200]
            failures.append(f"{method.upper()} {path} {sent}: {response.status_code}")
    assert not failures, f"{len(failures)} not refused:\n" + "\n".join(failures[:40])


def test_deadline_days_past_ten_years_never_reaches_the_calendar(ww: WorkWorld) -> None:
    client = bearer(ww.city_head)
    base = {
        "title": "Nhiệm vụ thử",
        "lead_unit_id": ww.dept_a.pk,
        "assigning_unit_id": ww.root.pk,
        "deadline_days": 10,
    }
    before = Task.objects.count()
    for rule, days in (
        ("working_days", 2**63),
        ("calendar_days", 10_000_000),
        ("working_days", 3651),
    ):
        response = client.post(
            "/api/v1/work/tasks",
            {**base, "deadline_rule": rule, "deadline_days": days},
            content_type="application/json",
        )
        assert response.status_code == 422, response.content
        assert response.json()["details"][0]["loc"][-1] == "deadline_days"
    assert Task.objects.count() == before
    response = client.post(
        "/api/v1/work/tasks",
        {**base, "deadline_rule": "calendar_days", "deadline_days": MAX_DEADLINE_DAYS},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


# --------------------------------------------------------------------------------------------
# the body as a whole: too large, not JSON; the caller: no token


def _json_operations(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for template, item in document["paths"].items():
        for method, operation in item.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                yield method, re.sub(r"\{[^}]+\}", "1", template)


def test_a_body_past_the_size_limit_answers_json_with_the_limit(world: World) -> None:
    """A 10 MiB text in a body answered Django's HTML "Bad Request (400)"."""
    client = bearer(world.admin)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    huge = "x" * (10 * 1024 * 1024)
    operations = list(_json_operations(api.get_openapi_schema()))
    assert len(operations) > 40
    fields = ("title", "description", "reason", "text")  # the texts the review named
    for index, (method, path) in enumerate(operations):
        for field in (fields[index % len(fields)],):
            body = json.dumps({field: huge})
            response = client.generic(method.upper(), path, body, content_type="application/json")
            assert response.status_code == 413, (method, path, response.content[:200])
            assert response["Content-Type"].startswith("application/json")
            assert response.json()["code"] == "request.too_large"
            assert response.json()["details"] == {"max_bytes": limit}


def test_a_body_not_sent_as_json_is_refused(world: World) -> None:
    """A JSON body sent as text/plain (what a cross-site form posts without a preflight) was
    accepted; so was one with no Content-Type at all."""
    client = bearer(world.admin)
    for method, path in _json_operations(api.get_openapi_schema()):
        for content_type in ("text/plain", "application/x-www-form-urlencoded", ""):
            response = client.generic(method.upper(), path, "{}", content_type=content_type)
            assert response.status_code == 415, (method, path, content_type, response.content)
            assert response.json()["code"] == "request.content_type"


def test_a_write_without_a_valid_token_answers_401_like_a_read(world: World) -> None:
    """With CSRF checks on, as a real server runs: a POST with no token or a wrong one
    answered "403 CSRF check Failed" while a GET answered 401."""
    document = api.get_openapi_schema()
    callers = (
        Client(enforce_csrf_checks=True),
        Client(enforce_csrf_checks=True, headers={"Authorization": "Bearer wrong"}),
        Client(enforce_csrf_checks=True, headers={"Authorization": "Basic d3Jvbmc="}),
    )
    writes = [
        (method, re.sub(r"\{[^}]+\}", "1", template))
        for template, item in document["paths"].items()
        for method in item
        if method in ("post", "put", "patch", "delete")
    ]
    assert len(writes) > 40
    for client in callers:
        for method, path in writes:
            response = client.generic(method.upper(), path, "{}", content_type="application/json")
            assert response.status_code == 401, (method, path, response.content)
            assert response.json()["code"] == "auth.required"


def test_a_browser_session_still_needs_its_csrf_token_to_write(world: World) -> None:
    user = User.objects.create_user(username="truong.so.a", password="x")
    world.head.user = user
    world.head.save(update_fields=["user"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    body = {"name": "Phòng B1", "code": "PHONG-B1", "kind": "division"}
    response = client.post("/api/v1/org/units", body, content_type="application/json")
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "auth.csrf_failed"
    assert client.get("/api/v1/org/units").status_code == 200


# --------------------------------------------------------------------------------------------
# uploads: the file's name and bytes

REAL_PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03" + b"\x00" * 59 + b"This program cannot be run in DOS mode.\r\n"
FAKE_PDFS = {
    "header then a Windows program": b"%PDF-1.4\n" + EXECUTABLE,
    "header then a Linux program": b"%PDF-1.4\n\x7fELF\x02\x01\x01" + b"\x00" * 64,
    "header then a script": b"%PDF-1.7\n#!/bin/sh\nrm -rf /\n%%EOF\n",
    "a program inside a PDF": REAL_PDF[:-6] + EXECUTABLE + b"\n%%EOF\n",
    "header only": b"%PDF-1.4\n",
    "no trailer": REAL_PDF.replace(b"%%EOF", b""),
    "no object": b"%PDF-1.4\ntrailer <<>>\n%%EOF\n",
}


def _upload_paths(ww: WorkWorld) -> list[str]:
    task = assign(ww)
    return [f"/api/v1/work/tasks/{task.pk}/attachments", "/api/v1/org/import"]


def test_a_nul_in_an_uploaded_file_name_is_refused_as_in_json(ww: WorkWorld) -> None:
    """Django's parser dropped the NUL ("a\\x00b.pdf" was stored as "ab.pdf")."""
    client = bearer(ww.city_head)
    for path in _upload_paths(ww):
        before = work_snapshot()
        upload = SimpleUploadedFile("bao\x00cao.pdf", REAL_PDF, content_type="application/pdf")
        response = client.post(path, {"file": upload})
        assert response.status_code == 400, (path, response.content)
        assert response.json()["code"] == "request.nul_character"
        assert response.json()["field"] == "file"
        assert work_snapshot() == before


def test_a_file_that_only_starts_like_a_pdf_is_refused(ww: WorkWorld) -> None:
    """ "%PDF-1.4" followed by an executable was accepted as a PDF."""
    client = bearer(ww.city_head)
    path = _upload_paths(ww)[0]
    for label, data in FAKE_PDFS.items():
        before = work_snapshot()
        response = client.post(path, {"file": SimpleUploadedFile("bao-cao.pdf", data)})
        assert response.status_code == 400, (label, response.content)
        assert response.json()["code"] == "work.attachment_content", label
        assert work_snapshot() == before
    response = client.post(path, {"file": SimpleUploadedFile("bao-cao.pdf", REAL_PDF)})
    assert response.status_code == 201, response.content
    assert response.json()["original_name"] == "bao-cao.pdf"


def test_an_upload_without_a_file_answers_a_code(ww: WorkWorld) -> None:
    client = bearer(ww.city_head)
    for path in _upload_paths(ww):
        response = client.post(path, {"note": "không có tệp"})
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "request.file_required"


# --------------------------------------------------------------------------------------------
# pagination: one contract, values past any range clamped


WINDOWS = (
    {"page": str(HUGE)},
    {"page": str(HUGE - 1), "page_size": str(HUGE - 1)},
    {"offset": str(HUGE)},
    {"limit": str(HUGE), "offset": str(HUGE - 1)},
    {"limit": "0", "offset": "-1"},
    {"page": "-5", "page_size": "-5"},
)


def test_every_list_clamps_a_window_past_any_range() -> None:
    """`?page=2**63`, page and page_size at 2**63-1, the ledger's `?offset=2**63`: a 500 on both
    engines once. Every list answers the window within bounds, on SQLite and PostgreSQL."""
    load_demo(seed=24)
    document = api.get_openapi_schema()
    admin = Person.objects.get(user__username="admin")
    clients = [_client(Person.objects.get(user__username=name), admin) for name in PERSONAS]
    # Ids the demo city really holds (its rows' ids differ between engines).
    root = Unit.objects.filter(parent=None).order_by("pk").first()
    assert root is not None
    real = {"unit_id": str(root.pk)}
    lists = [
        re.sub(r"\{([^}]+)\}", lambda match: real[match.group(1)], template)
        for template, item in document["paths"].items()
        if "get" in item
        and {"limit", "offset"} <= {p["name"] for p in item["get"].get("parameters", [])}
    ]
    assert "/api/v1/ledger/events" in lists and "/api/v1/work/tasks" in lists, lists
    for path in lists:
        client = next((c for c in clients if c.get(path).status_code == 200), None)
        assert client is not None, path
        for window in WINDOWS:
            response = client.get(path, window)
            assert response.status_code == 200, (path, window, response.content[:300])
            body = response.json()
            assert 1 <= body["limit"] <= MAX_LIMIT, (path, window, body["limit"])
            assert 0 <= body["offset"] <= body["count"], (path, window, body)
            assert len(body["items"]) <= body["limit"]


def test_the_web_forms_and_the_api_share_their_bounds() -> None:
    """One constant for a field edited both ways: what the form takes, the API takes."""
    from baro.work.forms import TaskAssignForm

    schema = api.get_openapi_schema()["components"]["schemas"]["TaskAssignIn"]["properties"]
    form = TaskAssignForm.base_fields
    for name in ("title", "description"):
        assert form[name].max_length == schema[name]["maxLength"], name  # type: ignore[attr-defined]
    days = _concrete(schema["deadline_days"], {})
    assert form["deadline_days"].max_value == days["maximum"] == MAX_DEADLINE_DAYS  # type: ignore[attr-defined]
    year = _concrete(schema["deadline_period_year"], {})
    assert (form["period_year"].min_value, form["period_year"].max_value) == (  # type: ignore[attr-defined]
        year["minimum"],
        year["maximum"],
    )
