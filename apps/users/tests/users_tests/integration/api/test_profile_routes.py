"""/api/v1/users/me over HTTP: GET, PATCH (DELETE: test_account_lifecycle_routes), with real
tokens."""

from __future__ import annotations

import uuid

import httpx

from users_tests.conftest import AuthHeaders, NewUser


async def test_get_profile_of_a_new_account(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user(provider="kakao", nickname="지구지킴이", email="Eco@Example.COM")
    response = await client.get("/api/v1/users/me", headers=auth_headers(user["user_id"]))
    assert response.status_code == 200
    body = response.json()
    assert body["user_id"] == user["user_id"]
    assert body["display_name"] == "지구지킴이"
    assert body["nickname"] == "지구지킴이"
    assert body["email"] == "Eco@example.com"
    assert body["phone_number"] is None
    assert body["provider"] == "kakao"
    assert body["linked_providers"] == ["kakao"]
    assert body["last_login_at"] is None


async def test_profile_provider_is_the_token_claim(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user(provider="kakao")
    headers = auth_headers(user["user_id"], provider="google")
    response = await client.get("/api/v1/users/me", headers=headers)
    assert response.json()["provider"] == "google"
    assert response.json()["linked_providers"] == ["kakao"]


async def test_token_in_the_s_access_cookie_is_accepted(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user()
    token = auth_headers(user["user_id"])["Authorization"].removeprefix("Bearer ")
    response = await client.get("/api/v1/users/me", headers={"Cookie": f"s_access={token}"})
    assert response.status_code == 200
    assert response.json()["user_id"] == user["user_id"]


async def test_patch_changes_nickname_and_normalises_phone(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user()
    headers = auth_headers(user["user_id"])
    response = await client.patch(
        "/api/v1/users/me",
        json={"nickname": "  분리배출왕 ", "phone_number": "+82 10 1234 5678"},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json()["nickname"] == "분리배출왕"
    assert response.json()["display_name"] == "분리배출왕"
    assert response.json()["phone_number"] == "010-1234-5678"
    again = await client.get("/api/v1/users/me", headers=headers)
    assert again.json()["phone_number"] == "010-1234-5678"
    assert again.json()["nickname"] == "분리배출왕"


async def test_patch_with_nothing_to_change_is_422(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user()
    response = await client.patch(
        "/api/v1/users/me", json={"nickname": None}, headers=auth_headers(user["user_id"])
    )
    assert response.status_code == 422
    assert response.json()["code"] == "PROFILE_CHANGE_EMPTY"


async def test_patch_with_an_invalid_phone_is_422_and_changes_nothing(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user()
    headers = auth_headers(user["user_id"])
    response = await client.patch(
        "/api/v1/users/me",
        json={"nickname": "새이름", "phone_number": "02-123-4567"},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["code"] == "PHONE_NUMBER_INVALID"
    profile = await client.get("/api/v1/users/me", headers=headers)
    assert profile.json()["nickname"] == user["nickname"]


async def test_patch_with_a_too_long_nickname_is_422(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user()
    response = await client.patch(
        "/api/v1/users/me", json={"nickname": "가" * 21}, headers=auth_headers(user["user_id"])
    )
    assert response.status_code == 422
    assert response.json()["code"] == "NICKNAME_INVALID"


async def test_patch_with_an_unknown_field_is_request_invalid(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user()
    response = await client.patch(
        "/api/v1/users/me", json={"email": "x@example.com"}, headers=auth_headers(user["user_id"])
    )
    assert response.status_code == 422
    assert response.json()["code"] == "REQUEST_INVALID"


async def test_unknown_user_is_404_on_every_public_route(
    client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    headers = auth_headers(uuid.uuid4())
    responses = [
        await client.get("/api/v1/users/me", headers=headers),
        await client.patch("/api/v1/users/me", json={"nickname": "누구"}, headers=headers),
        await client.delete("/api/v1/users/me", headers=headers),
        await client.get("/api/v1/users/me/characters", headers=headers),
        await client.get("/api/v1/users/me/characters/char-eco/ownership", headers=headers),
    ]
    assert [(r.status_code, r.json()["code"]) for r in responses] == [(404, "USER_NOT_FOUND")] * 5
