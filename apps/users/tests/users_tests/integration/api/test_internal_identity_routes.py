"""/internal/v1 over HTTP: service credential, get-or-create, logins."""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest

from users_tests.conftest import AuthHeaders, NewUser
from users_tests.factories import identity_body

IDENTITIES = "/internal/v1/identities"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "SERVICE_TOKEN_MISSING"),
        ({"X-Service-Token": "wrong-token-wrong-token-wrong-token"}, "SERVICE_TOKEN_INVALID"),
    ],
)
async def test_internal_routes_need_the_service_credential(
    client: httpx.AsyncClient, headers: dict[str, str], code: str
) -> None:
    user_id = uuid.uuid4()
    responses = [
        await client.post(IDENTITIES, json=identity_body(), headers=headers),
        await client.post(
            f"/internal/v1/users/{user_id}/logins", json={"provider": "kakao"}, headers=headers
        ),
    ]
    assert [(r.status_code, r.json()["code"]) for r in responses] == [(401, code)] * 2


async def test_an_access_token_does_not_open_the_internal_api(
    client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    response = await client.post(
        IDENTITIES, json=identity_body(), headers=auth_headers(uuid.uuid4())
    )
    assert response.status_code == 401
    assert response.json()["code"] == "SERVICE_TOKEN_MISSING"


async def test_first_call_creates_and_the_second_returns_the_same_account(
    client: httpx.AsyncClient, internal_headers: dict[str, str]
) -> None:
    body = identity_body(provider="google", nickname="Eco Fan")
    first = await client.post(IDENTITIES, json=body, headers=internal_headers)
    second = await client.post(IDENTITIES, json=body, headers=internal_headers)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["created"] is True
    assert second.json()["created"] is False
    assert first.json()["user_id"] == second.json()["user_id"]
    assert first.json()["nickname"] == "Eco Fan"
    assert first.json()["display_name"] == "Eco Fan"
    assert first.json()["email"] == "eco@example.com"
    assert first.json()["providers"] == ["google"]


async def test_existing_user_gets_provider_fields_refreshed(
    client: httpx.AsyncClient, internal_headers: dict[str, str]
) -> None:
    body = identity_body(nickname="옛이름", profile_image_url="https://img.example.com/old.png")
    created = (await client.post(IDENTITIES, json=body, headers=internal_headers)).json()
    body.update(nickname="새이름", profile_image_url="https://img.example.com/new.png")
    again = (await client.post(IDENTITIES, json=body, headers=internal_headers)).json()
    assert again["user_id"] == created["user_id"]
    assert again["display_name"] == "새이름"
    assert again["profile_image_url"] == "https://img.example.com/new.png"


async def test_same_email_on_another_identity_is_a_new_account(
    client: httpx.AsyncClient, internal_headers: dict[str, str]
) -> None:
    email = f"{uuid.uuid4().hex}@example.com"
    kakao = identity_body(provider="kakao", email=email, email_verified=True)
    google = identity_body(provider="google", email=email, email_verified=True)
    first = (await client.post(IDENTITIES, json=kakao, headers=internal_headers)).json()
    second = (await client.post(IDENTITIES, json=google, headers=internal_headers)).json()
    assert second["created"] is True
    assert second["user_id"] != first["user_id"]


async def test_unverified_email_is_not_the_account_email(
    client: httpx.AsyncClient, internal_headers: dict[str, str]
) -> None:
    body = identity_body(email="maybe@example.com", email_verified=False, nickname=None)
    response = await client.post(IDENTITIES, json=body, headers=internal_headers)
    assert response.json()["email"] is None
    assert response.json()["display_name"].startswith("이코 사용자-")


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"provider": "Not A Provider"}, "PROVIDER_INVALID"),
        ({"provider_user_id": ""}, "PROVIDER_USER_ID_INVALID"),
        ({"provider_user_id": "x" * 256}, "PROVIDER_USER_ID_INVALID"),
        ({"email_verified": "maybe"}, "REQUEST_INVALID"),
    ],
)
async def test_invalid_identity_is_422_with_its_code(
    client: httpx.AsyncClient,
    internal_headers: dict[str, str],
    overrides: dict[str, str],
    code: str,
) -> None:
    response = await client.post(
        IDENTITIES, json=identity_body(**overrides), headers=internal_headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == code


@pytest.mark.parametrize("field", ["nickname", "email", "provider_user_id", "profile_image_url"])
@pytest.mark.parametrize("unsafe", ["\x00", chr(0xD800), chr(0xDFFF)], ids=["nul", "high", "low"])
async def test_text_postgresql_cannot_store_is_422_request_invalid_never_500(
    client: httpx.AsyncClient, internal_headers: dict[str, str], field: str, unsafe: str
) -> None:
    body = identity_body(**{field: f"eco{unsafe}fan"})
    response = await client.post(
        IDENTITIES,
        content=json.dumps(body),  # ASCII JSON: a lone surrogate travels as "\ud800"
        headers={**internal_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "REQUEST_INVALID"
    assert field in response.json()["detail"]


async def test_fifty_racing_first_logins_make_one_account(
    client: httpx.AsyncClient, internal_headers: dict[str, str]
) -> None:
    body = identity_body()
    responses = await asyncio.gather(
        *(client.post(IDENTITIES, json=body, headers=internal_headers) for _ in range(50))
    )
    assert [r.status_code for r in responses] == [200] * 50
    assert len({r.json()["user_id"] for r in responses}) == 1
    assert sum(r.json()["created"] for r in responses) == 1


async def test_a_malformed_user_id_is_request_invalid(
    client: httpx.AsyncClient, internal_headers: dict[str, str]
) -> None:
    response = await client.post(
        "/internal/v1/users/not-a-uuid/logins", json={"provider": "kakao"}, headers=internal_headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == "REQUEST_INVALID"


async def test_recording_a_login_sets_last_login_at(
    client: httpx.AsyncClient,
    internal_headers: dict[str, str],
    new_user: NewUser,
    auth_headers: AuthHeaders,
) -> None:
    body = identity_body(provider="kakao")
    user = await new_user(**body)
    response = await client.post(
        f"/internal/v1/users/{user['user_id']}/logins",
        json={"provider": "kakao"},
        headers=internal_headers,
    )
    assert response.status_code == 204
    fetched = await client.post(IDENTITIES, json=body, headers=internal_headers)
    assert fetched.json()["last_login_at"] is not None
    profile = await client.get("/api/v1/users/me", headers=auth_headers(user["user_id"]))
    assert profile.json()["last_login_at"] == fetched.json()["last_login_at"]


async def test_recording_a_login_of_an_unknown_user_is_404(
    client: httpx.AsyncClient, internal_headers: dict[str, str]
) -> None:
    response = await client.post(
        f"/internal/v1/users/{uuid.uuid4()}/logins",
        json={"provider": "kakao"},
        headers=internal_headers,
    )
    assert response.status_code == 404
    assert response.json()["code"] == "USER_NOT_FOUND"


async def test_recording_a_login_with_an_invalid_provider_is_422(
    client: httpx.AsyncClient, internal_headers: dict[str, str], new_user: NewUser
) -> None:
    user = await new_user()
    response = await client.post(
        f"/internal/v1/users/{user['user_id']}/logins",
        json={"provider": "!!"},
        headers=internal_headers,
    )
    assert response.status_code == 422
    assert response.json()["code"] == "PROVIDER_INVALID"
