"""Two auth processes sharing Redis (a single node, a cluster): revocations on one are
seen by the other."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from auth.application.token.dto.token import TokenPair
from auth.infrastructure.security.key_set import SigningKeyError
from auth.setup.app import create_app
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.token.conftest import (
    bearer,
    replica_confirmed_after,
    stateless_client,
    with_tokens,
)
from kernel.clock import SystemClock

pytestmark = pytest.mark.redis_single_and_cluster

VALIDATE = "/api/v1/auth/validate"


@pytest.fixture
def shared(settings: AuthSettings, test_prefix: str, keys_dir: Path) -> AuthSettings:
    return with_tokens(settings, test_prefix, keys_dir=str(keys_dir))


@pytest.fixture
async def apps(shared: AuthSettings) -> AsyncIterator[tuple[FastAPI, FastAPI]]:
    first, second = create_app(shared), create_app(shared)
    async with first.router.lifespan_context(first), second.router.lifespan_context(second):
        yield first, second


async def validate(app: FastAPI, token: str) -> tuple[int, str | None]:
    async with stateless_client(app) as api:
        response = await api.get(VALIDATE, headers=bearer(token))
    return response.status_code, response.headers.get("x-auth-error")


async def confirmed_after(app: FastAPI, instant: float) -> None:
    """Wait until `app`'s replica has confirmed every revocation made before `instant`."""
    tokens: TokenSystem = app.state.tokens
    await replica_confirmed_after(tokens.replica, instant)


async def login(app: FastAPI, user: uuid.UUID | None = None) -> TokenPair:
    tokens: TokenSystem = app.state.tokens
    return await tokens.service.issue_and_register(
        user_id=user or uuid.uuid4(), provider="google", device_id=None, user_agent=None
    )


async def test_logout_on_one_is_rejected_by_both(apps: tuple[FastAPI, FastAPI]) -> None:
    a, b = apps
    pair = await login(a)
    assert await validate(b, pair.access_token) == (200, None)
    async with stateless_client(a) as api:
        assert (
            await api.post("/api/v1/auth/logout", headers=bearer(pair.access_token))
        ).status_code == 204
    logged_out = time.monotonic()
    # The revoking process never accepts it again once logout returned.
    assert await validate(a, pair.access_token) == (401, "TOKEN_REVOKED")
    # The other one has it as soon as its copy is confirmed past the logout
    # (which happens within the staleness bound, or its copy goes stale and asks Redis).
    await confirmed_after(b, logged_out)
    assert await validate(b, pair.access_token) == (401, "TOKEN_REVOKED")


async def test_revoke_all_on_one_is_rejected_by_the_other(
    apps: tuple[FastAPI, FastAPI],
) -> None:
    a, b = apps
    user = uuid.uuid4()
    pairs = [await login(a, user), await login(b, user)]
    async with stateless_client(b) as api:
        response = await api.post("/api/v1/auth/revoke", headers=bearer(pairs[1].access_token))
    assert response.json()["ended_sessions"] == 2
    revoked = time.monotonic()
    await confirmed_after(a, revoked)
    for pair in pairs:
        assert await validate(a, pair.access_token) == (401, "TOKEN_REVOKED")
        assert await validate(b, pair.access_token) == (401, "TOKEN_REVOKED")


async def test_a_stale_copy_asks_redis(apps: tuple[FastAPI, FastAPI]) -> None:
    a, b = apps
    b_tokens: TokenSystem = b.state.tokens
    await b_tokens.follower.stop()  # b no longer follows the stream
    user = uuid.uuid4()
    pair = await login(a, user)
    await a.state.tokens.service.end_session(user, pair.session_id)
    b_tokens.replica.invalidate()  # what the bound does to a copy nobody confirms
    assert await validate(b, pair.access_token) == (401, "TOKEN_REVOKED")


async def test_stale_copy_and_unreachable_redis_fail_closed(shared: AuthSettings) -> None:
    broken = shared.model_copy(update={"redis_url": SecretStr("redis://127.0.0.1:1/0")})
    app = create_app(broken)
    async with app.router.lifespan_context(app):
        tokens: TokenSystem = app.state.tokens
        pair = tokens.issuer.issue_pair(
            user_id=uuid.uuid4(), provider="google", session_id="s", now=SystemClock().now()
        )
        async with stateless_client(app) as api:
            response = await api.get(VALIDATE, headers=bearer(pair.access_token))
    assert response.status_code == 503
    assert response.json()["code"] == "REVOCATION_STATE_UNAVAILABLE"


def test_outside_local_the_app_refuses_to_start_without_a_signing_key(
    settings: AuthSettings,
) -> None:
    with pytest.raises(SigningKeyError, match="no signing key"):
        create_app(settings.model_copy(update={"profile": "prod"}))


async def test_two_processes_with_one_key_directory_verify_each_others_tokens(
    apps: tuple[FastAPI, FastAPI],
) -> None:
    a, b = apps
    assert a.state.tokens.keys.signing_kid == b.state.tokens.keys.signing_kid == "test-key"
    pair = await login(b)
    assert await validate(a, pair.access_token) == (200, None)
