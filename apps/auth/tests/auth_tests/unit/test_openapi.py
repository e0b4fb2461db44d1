"""auth's OpenAPI document: /validate (an ASGI handler, not a route) is documented with its
identity headers, its 401 with `x-auth-error`, and its 503; errors are `{code, detail}`."""

from __future__ import annotations

from typing import Any

import pytest

from auth.setup.app import create_app
from auth.setup.settings import AuthSettings

ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    spec: dict[str, Any] = create_app(AuthSettings(profile="test")).openapi()
    return spec


def test_validate_documents_its_headers_and_errors(document: dict[str, Any]) -> None:
    responses = document["paths"]["/api/v1/auth/validate"]["get"]["responses"]
    assert set(responses) == {"200", "401", "503"}
    assert set(responses["200"]["headers"]) == {"x-user-id", "x-session-id", "x-auth-provider"}
    for status in ("401", "503"):
        assert "x-auth-error" in responses[status]["headers"]
        assert responses[status]["content"]["application/json"]["schema"] == ERROR_REF
    assert "TOKEN_MALFORMED" in responses["401"]["description"]
    assert "REVOCATION_STATE_UNAVAILABLE" in responses["503"]["description"]


def test_the_default_422_is_code_and_detail(document: dict[str, Any]) -> None:
    authorize = document["paths"]["/api/v1/auth/{provider}/authorize"]["get"]["responses"]
    assert authorize["422"]["content"]["application/json"]["schema"] == ERROR_REF
    assert authorize["422"]["description"].startswith("REQUEST_INVALID")
    assert "HTTPValidationError" not in str(document)


def test_refresh_documents_every_token_code(document: dict[str, Any]) -> None:
    refresh = document["paths"]["/api/v1/auth/refresh"]["post"]["responses"]
    for code in ("TOKEN_MISSING", "TOKEN_MALFORMED", "TOKEN_EXPIRED", "REFRESH_REUSED"):
        assert code in refresh["401"]["description"]


def test_the_callback_documents_its_posted_form_for_form_post_providers(
    document: dict[str, Any],
) -> None:
    callback = document["paths"]["/api/v1/auth/{provider}/callback"]
    assert set(callback) == {"get", "post"}
    posted = callback["post"]
    form = posted["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert {"code", "state", "error", "id_token", "user"} <= form["properties"].keys()
    assert {"303", "422"} <= posted["responses"].keys()
    assert posted["responses"]["422"]["content"]["application/json"]["schema"] == ERROR_REF
    assert "response_mode_mismatch" in posted["description"]


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/{provider}/authorize", "get"),
    ],
)
def test_limited_routes_document_429_with_its_headers(
    document: dict[str, Any], path: str, method: str
) -> None:
    refused = document["paths"][path][method]["responses"]["429"]
    assert "RATE_LIMITED" in refused["description"]
    assert refused["content"]["application/json"]["schema"] == ERROR_REF
    assert set(refused["headers"]) == {
        "Retry-After",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
    }


def test_sessions_document_where_each_was_opened(document: dict[str, Any]) -> None:
    fields = document["components"]["schemas"]["SessionOut"]["properties"]
    assert {"ip_address", "device", "os", "browser", "current", "last_used_at"} <= set(fields)
