"""OpenAPI: every route documented with schemas, examples, error codes, security,
and the internal API in its own section."""

from __future__ import annotations

from typing import Any

import httpx

ROUTES = {
    ("/api/v1/users/me", "get"): "profile",
    ("/api/v1/users/me", "patch"): "profile",
    ("/api/v1/users/me", "delete"): "account",
    ("/api/v1/users/me/restore", "post"): "account",
    ("/api/v1/users/me/characters", "get"): "characters",
    ("/api/v1/users/me/characters/{code}/ownership", "get"): "characters",
    ("/api/v1/users/me/social-accounts", "get"): "social accounts",
    ("/api/v1/users/me/social-accounts/{provider}", "delete"): "social accounts",
    ("/internal/v1/identities", "post"): "internal: identity",
    ("/internal/v1/identities", "get"): "internal: identity",
    ("/internal/v1/identities", "delete"): "internal: identity",
    ("/internal/v1/users/{user_id}/logins", "post"): "internal: identity",
    ("/internal/v1/users/{user_id}/social-accounts", "post"): "internal: identity",
    ("/internal/v1/admin/users/{user_id}/disable", "post"): "internal: admin",
    ("/internal/v1/admin/users/{user_id}/enable", "post"): "internal: admin",
}


async def _spec(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


async def test_every_route_is_documented_under_its_tag(client: httpx.AsyncClient) -> None:
    spec = await _spec(client)
    documented = {
        (path, method): operation["tags"][0]
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if path.startswith(("/api/", "/internal/"))
    }
    assert documented == ROUTES


async def test_public_and_internal_apis_are_separate_sections(client: httpx.AsyncClient) -> None:
    spec = await _spec(client)
    groups = {group["name"]: group["tags"] for group in spec["x-tagGroups"]}
    assert groups["Public API (/api/v1/users)"] == [
        "profile",
        "account",
        "characters",
        "social accounts",
    ]
    assert groups["Internal API (/internal/v1)"] == ["internal: identity", "internal: admin"]
    schemes = spec["components"]["securitySchemes"]
    assert schemes["ServiceToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Service-Token",
        "description": "Service credential of the internal API (USERS_INTERNAL_API_TOKEN).",
    }
    assert schemes["HTTPBearer"]["scheme"] == "bearer"
    me = spec["paths"]["/api/v1/users/me"]["get"]
    identities = spec["paths"]["/internal/v1/identities"]["post"]
    assert {name for entry in me["security"] for name in entry} == {"HTTPBearer", "APIKeyCookie"}
    assert identities["security"] == [{"ServiceToken": []}]
    disable = spec["paths"]["/internal/v1/admin/users/{user_id}/disable"]["post"]
    assert disable["security"] == [{"AdminToken": []}]
    restore = spec["paths"]["/api/v1/users/me/restore"]["post"]
    assert {name for entry in restore["security"] for name in entry} == {
        "HTTPBearer",
        "RestoreTicketCookie",
    }


async def test_error_codes_are_documented_with_examples(client: httpx.AsyncClient) -> None:
    spec = await _spec(client)
    patch = spec["paths"]["/api/v1/users/me"]["patch"]["responses"]
    examples_401 = patch["401"]["content"]["application/json"]["examples"]
    examples_422 = patch["422"]["content"]["application/json"]["examples"]
    assert set(examples_401) == {
        "TOKEN_MISSING",
        "TOKEN_MALFORMED",
        "TOKEN_INVALID",
        "TOKEN_EXPIRED",
        "TOKEN_TYPE_INVALID",
    }
    assert {"PROFILE_CHANGE_EMPTY", "PHONE_NUMBER_INVALID", "NICKNAME_INVALID"} <= set(examples_422)
    assert "USER_NOT_FOUND" in patch["404"]["content"]["application/json"]["examples"]


async def test_request_and_response_schemas_carry_examples(client: httpx.AsyncClient) -> None:
    schemas = (await _spec(client))["components"]["schemas"]
    for name in (
        "ProfileResponse",
        "UpdateProfileBody",
        "CharacterResponse",
        "OwnershipResponse",
        "IdentityBody",
        "IdentityResponse",
        "LoginBody",
        "SocialAccountsResponse",
    ):
        assert schemas[name]["examples"], name


async def test_docs_page_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.text


async def test_limited_routes_document_429_with_its_headers(client: httpx.AsyncClient) -> None:
    spec = await _spec(client)
    limited = [
        ("/api/v1/users/me", "patch"),
        ("/api/v1/users/me", "delete"),
        ("/internal/v1/identities", "post"),
        ("/internal/v1/users/{user_id}/logins", "post"),
    ]
    for path, method in limited:
        refused = spec["paths"][path][method]["responses"]["429"]
        assert "RATE_LIMITED" in refused["content"]["application/json"]["examples"]
        assert {"Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} == set(
            refused["headers"]
        )
