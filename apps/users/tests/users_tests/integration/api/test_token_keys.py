"""The app verifying tokens with keys from a JWKS URL served over real HTTP
(a stand-in for auth on a local port), and the error when no keys can be had."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from jwt.algorithms import OKPAlgorithm

from testkit.ports import free_port
from users.setup.access_token_settings import AccessTokenSettings
from users.setup.app import create_app
from users.setup.settings import UsersSettings
from users_tests.conftest import NewUser
from users_tests.factories import INTERNAL_TOKEN, access_token, identity_body

AUTH_KEY = Ed25519PrivateKey.generate()


@pytest.fixture
async def jwks_url() -> AsyncIterator[str]:
    """auth's JWKS endpoint, served by uvicorn on a free local port."""
    fake_auth = FastAPI()
    served = {**OKPAlgorithm.to_jwk(AUTH_KEY.public_key(), as_dict=True), "kid": "k1"}

    @fake_auth.get("/api/v1/auth/.well-known/jwks.json")
    async def jwks() -> dict[str, object]:
        return {"keys": [{**served, "alg": "EdDSA", "use": "sig"}]}

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(fake_auth, port=port, log_config=None, lifespan="off"))
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/api/v1/auth/.well-known/jwks.json"
    finally:
        server.should_exit = True
        await task


async def _client_for(settings: UsersSettings) -> tuple[FastAPI, httpx.AsyncClient]:
    app = create_app(settings)
    return app, httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://u")


def _with_keys(settings: UsersSettings, keys: AccessTokenSettings) -> UsersSettings:
    return settings.model_copy(update={"access_token": keys})


async def test_tokens_verify_against_the_jwks_url(
    settings: UsersSettings, jwks_url: str, new_user: NewUser
) -> None:
    user = await new_user()
    app, client = await _client_for(_with_keys(settings, AccessTokenSettings(jwks_url=jwks_url)))
    async with app.router.lifespan_context(app), client:
        good = access_token(AUTH_KEY, user["user_id"], kid="k1")
        unknown_kid = access_token(AUTH_KEY, user["user_id"], kid="k2")
        ok = await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {good}"})
        bad = await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {unknown_kid}"}
        )
    assert ok.status_code == 200
    assert ok.json()["user_id"] == user["user_id"]
    assert bad.status_code == 401
    assert bad.json()["code"] == "TOKEN_INVALID"


async def test_unreachable_jwks_is_503_token_keys_unavailable(settings: UsersSettings) -> None:
    unreachable = AccessTokenSettings(
        jwks_url=f"http://127.0.0.1:{free_port()}/jwks.json", jwks_timeout_seconds=1
    )
    app, client = await _client_for(_with_keys(settings, unreachable))
    async with app.router.lifespan_context(app), client:
        token = access_token(AUTH_KEY, "0192f0c8-5d2a-7c3e-9a41-2b7f0c1d9e88", kid="k1")
        response = await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 503
    assert response.json()["code"] == "TOKEN_KEYS_UNAVAILABLE"


async def test_internal_api_without_a_configured_credential_refuses_everyone(
    settings: UsersSettings,
) -> None:
    unconfigured = settings.model_copy(update={"internal_api_token": None})
    app, client = await _client_for(unconfigured)
    async with app.router.lifespan_context(app), client:
        response = await client.post(
            "/internal/v1/identities",
            json=identity_body(),
            headers={"X-Service-Token": INTERNAL_TOKEN},
        )
    assert response.status_code == 401
    assert response.json()["code"] == "SERVICE_TOKEN_INVALID"
