"""The API root: its OpenAPI document, its offline docs page, its one error format."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_openapi_document_lists_the_registry_and_the_ledger() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Baro API"
    paths = set(document["paths"])
    assert {"/api/v1/org/units", "/api/v1/org/import", "/api/v1/ledger/verify"} <= paths
    schemes = document["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())


@pytest.mark.django_db
def test_the_docs_page_works_without_the_internet() -> None:
    body = Client().get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in body
    assert "cdn." not in body and "unpkg" not in body


@pytest.mark.django_db
def test_an_anonymous_call_gets_a_json_401_with_a_stable_code() -> None:
    response = Client().get("/api/v1/org/units")
    assert response.status_code == 401
    assert response.json()["code"] == "auth.required"


@pytest.mark.django_db
def test_an_address_the_api_does_not_have_gets_its_json_404() -> None:
    for address in ("/api/v1/khong-co", "/api/v1/oversight/letters/abc.pdf", "/api/v2/"):
        response = Client().get(address)
        assert response.status_code == 404, address
        assert response["Content-Type"].startswith("application/json"), address
        assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_an_api_address_missing_its_trailing_slash_is_still_redirected() -> None:
    response = Client().get("/api/v1/notifications?unread_only=true")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/notifications/?unread_only=true"
