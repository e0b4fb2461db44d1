"""Every access token error code, over HTTP, with tokens signed for real."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from testkit.hostile_input import HOSTILE_TOKENS, assert_no_traceback
from users_tests.conftest import NewUser
from users_tests.factories import access_token

ME = "/api/v1/users/me"


async def _get_me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.get(ME, headers={"Authorization": f"Bearer {token}"})


async def test_no_token_is_token_missing(client: httpx.AsyncClient) -> None:
    response = await client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "TOKEN_MISSING"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_garbage_is_token_malformed(client: httpx.AsyncClient) -> None:
    response = await _get_me(client, "not-a-jwt")
    assert response.status_code == 401
    assert response.json()["code"] == "TOKEN_MALFORMED"


@HOSTILE_TOKENS
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ME),
        ("PATCH", ME),
        ("DELETE", ME),
        ("GET", f"{ME}/characters"),
        ("GET", f"{ME}/characters/char-eco/ownership"),
    ],
)
async def test_a_hostile_token_is_malformed_on_every_public_route(
    client: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    token: str,
    method: str,
    path: str,
) -> None:
    for headers in ({"Authorization": f"Bearer {token}"}, {"Cookie": f"s_access={token}"}):
        response = await client.request(method, path, headers=headers, json={"nickname": "n"})
        assert (response.status_code, response.json()["code"]) == (401, "TOKEN_MALFORMED")
    assert_no_traceback(caplog)


async def test_a_signed_token_with_nested_claims_is_malformed(
    client: httpx.AsyncClient, new_user: NewUser, signing_key: Ed25519PrivateKey
) -> None:
    user = await new_user()
    token = access_token(signing_key, user["user_id"], profile={"deep": ["x"]})
    response = await _get_me(client, token)
    assert (response.status_code, response.json()["code"]) == (401, "TOKEN_MALFORMED")


async def test_expired_token_is_token_expired(
    client: httpx.AsyncClient, new_user: NewUser, signing_key: Ed25519PrivateKey
) -> None:
    user = await new_user()
    token = access_token(signing_key, user["user_id"], expires_in=-31, not_before_in=-900)
    response = await _get_me(client, token)
    assert response.status_code == 401
    assert response.json()["code"] == "TOKEN_EXPIRED"


async def test_expiry_within_the_leeway_is_accepted(
    client: httpx.AsyncClient, new_user: NewUser, signing_key: Ed25519PrivateKey
) -> None:
    user = await new_user()
    token = access_token(signing_key, user["user_id"], expires_in=-5, not_before_in=-900)
    response = await _get_me(client, token)
    assert response.status_code == 200


async def test_token_not_yet_valid_is_token_invalid(
    client: httpx.AsyncClient, new_user: NewUser, signing_key: Ed25519PrivateKey
) -> None:
    user = await new_user()
    token = access_token(signing_key, user["user_id"], not_before_in=300)
    response = await _get_me(client, token)
    assert response.json()["code"] == "TOKEN_INVALID"


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"issuer": "someone-else"}, "TOKEN_INVALID"),
        ({"audience": "another-api"}, "TOKEN_INVALID"),
        ({"token_type": "refresh"}, "TOKEN_TYPE_INVALID"),
        ({"typ": "rt+jwt"}, "TOKEN_TYPE_INVALID"),
        ({"typ": "JWT"}, "TOKEN_TYPE_INVALID"),
    ],
)
async def test_wrong_claims_are_rejected_with_their_code(
    client: httpx.AsyncClient,
    new_user: NewUser,
    signing_key: Ed25519PrivateKey,
    claims: dict[str, Any],
    code: str,
) -> None:
    user = await new_user()
    response = await _get_me(client, access_token(signing_key, user["user_id"], **claims))
    assert response.status_code == 401
    assert response.json()["code"] == code


async def test_token_signed_by_another_key_is_token_invalid(
    client: httpx.AsyncClient, new_user: NewUser
) -> None:
    user = await new_user()
    token = access_token(Ed25519PrivateKey.generate(), user["user_id"])
    response = await _get_me(client, token)
    assert response.json()["code"] == "TOKEN_INVALID"


async def test_es256_token_against_an_ed25519_key_is_token_invalid(
    client: httpx.AsyncClient, new_user: NewUser
) -> None:
    user = await new_user()
    token = access_token(generate_private_key(SECP256R1()), user["user_id"], algorithm="ES256")
    response = await _get_me(client, token)
    assert response.json()["code"] == "TOKEN_INVALID"


async def test_unsigned_token_is_token_invalid(client: httpx.AsyncClient) -> None:
    import jwt

    token = jwt.encode(
        {"sub": str(uuid.uuid4()), "token_type": "access"},
        key="",
        algorithm="none",
        headers={"typ": "at+jwt"},
    )
    response = await _get_me(client, token)
    assert response.json()["code"] == "TOKEN_INVALID"


async def test_subject_that_is_not_a_uuid_is_token_invalid(
    client: httpx.AsyncClient, signing_key: Ed25519PrivateKey
) -> None:
    response = await _get_me(client, access_token(signing_key, "user-42"))
    assert response.status_code == 401
    assert response.json()["code"] == "TOKEN_INVALID"
