"""Redis comes back empty under auth: no token revoked before the loss is accepted again.

A Redis of the test's own (`own_redis`) is stopped and started without its data.
Rule (README, "Redis data loss"): every access token issued before the loss was
noticed is rejected with TOKEN_REVOKED, so the tokens that were still valid before
the loss are rejected too (their sessions were lost with the data: users sign in again).
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from redis.asyncio import Redis

from auth.application.token.dto.token import TokenPair
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.setup.app import create_app
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.token.conftest import bearer, stateless_client, with_tokens
from testkit.own_servers import OwnRedis, own_redis

VALIDATE = "/api/v1/auth/validate"
DOWN_SECONDS = 1.5  # longer than the staleness bound: the copies go stale
WATCH_AFTER_SECONDS = 2.5  # longer than the followers' longest retry delay


@pytest.fixture
def server() -> Iterator[OwnRedis]:
    with own_redis() as started:
        yield started


@pytest.fixture
def local(settings: AuthSettings, server: OwnRedis, keys_dir: Path) -> AuthSettings:
    on_own = settings.model_copy(update={"redis_url": SecretStr(server.url)})
    return with_tokens(on_own, "auth:", keys_dir=str(keys_dir))


@asynccontextmanager
async def running(settings: AuthSettings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@dataclass(frozen=True)
class Tokens:
    revoked: dict[str, TokenPair]  # how it was revoked → the pair
    valid: TokenPair  # valid until the loss


async def login(app: FastAPI, user: uuid.UUID) -> TokenPair:
    tokens: TokenSystem = app.state.tokens
    return await tokens.service.issue_and_register(
        user_id=user, provider="google", device_id=None, user_agent=None
    )


async def revoke_three_ways(app: FastAPI, api: httpx.AsyncClient) -> Tokens:
    """Logout, session end and revoke-all, through the routes; one token left valid."""
    logged_out = await login(app, uuid.uuid4())
    ended = await login(app, uuid.uuid4())
    revoked_all = await login(app, uuid.uuid4())
    valid = await login(app, uuid.uuid4())
    calls = [
        api.post("/api/v1/auth/logout", headers=bearer(logged_out.access_token)),
        api.delete(f"/api/v1/auth/sessions/{ended.session_id}", headers=bearer(ended.access_token)),
        api.post("/api/v1/auth/revoke", headers=bearer(revoked_all.access_token)),
    ]
    for call in calls:
        assert (await call).status_code in (200, 204)
    tokens = Tokens(
        revoked={"logout": logged_out, "session end": ended, "revoke all": revoked_all},
        valid=valid,
    )
    for pair in tokens.revoked.values():
        assert await status(api, pair) == (401, "TOKEN_REVOKED")
    assert await status(api, valid) == (200, None)
    return tokens


async def status(api: httpx.AsyncClient, pair: TokenPair) -> tuple[int, str | None]:
    response = await api.get(VALIDATE, headers=bearer(pair.access_token))
    return response.status_code, response.headers.get("x-auth-error")


async def watch(api: httpx.AsyncClient, tokens: Tokens, stop: asyncio.Event) -> Counter[int]:
    """Validate every revoked token over and over until `stop`; statuses by count."""
    statuses: Counter[int] = Counter()
    for _ in range(10_000):  # bounded; `stop` comes first
        if stop.is_set():
            break
        for pair in tokens.revoked.values():
            statuses[(await status(api, pair))[0]] += 1
        await asyncio.sleep(0.005)
    return statuses


async def settle(redis_url: str) -> None:
    """Wait until the second in which the new epoch began is over (tokens carry whole
    seconds, so one issued in that second is rejected too)."""
    client = Redis.from_url(redis_url)
    try:
        before = await client.hget(RedisKeys("auth:").epoch, "before")
    finally:
        await client.aclose()
    assert before is not None, "no new epoch after the loss"
    await asyncio.sleep(max(0.0, math.ceil(int(before) / 1000) - time.time()))


async def test_a_running_auth_accepts_no_revoked_token_while_redis_comes_back_empty(
    local: AuthSettings, server: OwnRedis
) -> None:
    async with running(local) as app, stateless_client(app) as api:
        tokens = await revoke_three_ways(app, api)
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch(api, tokens, stop))
        await asyncio.sleep(0.2)
        await asyncio.to_thread(server.stop)
        await asyncio.sleep(DOWN_SECONDS)
        await asyncio.to_thread(server.start, empty=True)
        await asyncio.sleep(WATCH_AFTER_SECONDS)
        stop.set()
        statuses = await asyncio.wait_for(watcher, 10)
        print(
            f"[redis data loss] running auth: {sum(statuses.values())} /validate calls with"
            f" revoked tokens during and after the restart: accepted (200) {statuses[200]},"
            f" rejected (401) {statuses[401]}, unavailable (503) {statuses[503]}"
        )
        assert statuses[200] == 0
        assert set(statuses) <= {401, 503}
        for pair in tokens.revoked.values():
            assert await status(api, pair) == (401, "TOKEN_REVOKED")
        # The rule: a token still valid before the loss is rejected after it too.
        assert await status(api, tokens.valid) == (401, "TOKEN_REVOKED")
        await settle(server.url)
        after = await login(app, uuid.uuid4())
        assert await status(api, after) == (200, None)


async def test_a_restarted_auth_accepts_no_token_revoked_before_redis_came_back_empty(
    local: AuthSettings, server: OwnRedis
) -> None:
    async with running(local) as app, stateless_client(app) as api:
        tokens = await revoke_three_ways(app, api)
    server.stop()
    server.start(empty=True)
    async with running(local) as app, stateless_client(app) as api:
        statuses: Counter[int] = Counter()
        for _ in range(20):
            for pair in tokens.revoked.values():
                statuses[(await status(api, pair))[0]] += 1
        valid_before = await status(api, tokens.valid)
        print(
            f"[redis data loss] restarted auth: {sum(statuses.values())} /validate calls with"
            f" revoked tokens: accepted (200) {statuses[200]}, rejected (401) {statuses[401]};"
            f" a token valid before the loss: {valid_before[0]} {valid_before[1]}"
        )
        assert statuses == Counter({401: 3 * 20})
        assert valid_before == (401, "TOKEN_REVOKED")
        after = await login(app, uuid.uuid4())
        assert await status(api, after) == (200, None)
