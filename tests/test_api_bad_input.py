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
from django.test import Client

from baro.api import api
from baro.demo import load_demo
from baro.org import services as org_services
from baro.org.models import Person

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
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2026-12-31"
    if schema.get("format") == "date-time":
        return "2026-12-31T08:00:00+07:00"
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
