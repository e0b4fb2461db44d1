"""A request body that is not JSON text, nests without bound, or carries text
PostgreSQL cannot store is a 422 `{code, detail}`, never a 400 or a 500, and
leaves no traceback in the log."""

from __future__ import annotations

import uuid

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from testkit.hostile_input import HOSTILE_BODIES, assert_no_traceback
from users_tests.conftest import NewUser
from users_tests.factories import access_token

JSON = {"Content-Type": "application/json"}


async def _routes(
    new_user: NewUser, signing_key: Ed25519PrivateKey, internal_headers: dict[str, str]
) -> list[tuple[str, str, dict[str, str]]]:
    user_id = (await new_user())["user_id"]
    caller = {"Authorization": f"Bearer {access_token(signing_key, user_id)}"}
    return [
        ("PATCH", "/api/v1/users/me", caller),
        ("POST", "/internal/v1/identities", internal_headers),
        ("POST", f"/internal/v1/users/{user_id}/logins", internal_headers),
    ]


@HOSTILE_BODIES
async def test_an_unreadable_body_is_422_request_invalid(
    client: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    new_user: NewUser,
    signing_key: Ed25519PrivateKey,
    internal_headers: dict[str, str],
    body: bytes,
) -> None:
    for method, path, headers in await _routes(new_user, signing_key, internal_headers):
        response = await client.request(method, path, content=body, headers={**headers, **JSON})
        assert response.status_code == 422, path
        assert response.json().keys() == {"code", "detail"}
        assert response.json()["code"] == "REQUEST_INVALID"
    assert_no_traceback(caplog)


@pytest.mark.parametrize("text", ["a\\u0000b", "\\ud800"], ids=["nul", "lone-surrogate"])
@pytest.mark.parametrize("field", ["nickname", "email", "profile_image_url", "provider_user_id"])
async def test_text_postgresql_cannot_store_is_422_naming_the_field(
    client: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    internal_headers: dict[str, str],
    field: str,
    text: str,
) -> None:
    fields = {"provider": "kakao", "provider_user_id": uuid.uuid4().hex, field: text}
    body = "{" + ",".join(f'"{name}":"{value}"' for name, value in fields.items()) + "}"
    response = await client.post(
        "/internal/v1/identities", content=body.encode(), headers={**internal_headers, **JSON}
    )
    assert (response.status_code, response.json()["code"]) == (422, "REQUEST_INVALID")
    assert f"body.{field}" in response.json()["detail"]
    assert_no_traceback(caplog)
