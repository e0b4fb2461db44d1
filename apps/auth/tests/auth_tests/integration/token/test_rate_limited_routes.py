"""refresh and logout over their limits, against real Redis: of 200 concurrent requests
exactly the limit is admitted, on one auth process and across two sharing Redis; a
session over its own limit is refused whatever its address."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from auth.application.token.dto.token import TokenPair
from auth.setup.app import create_app
from auth.setup.rate_limit_settings import AuthRateLimitSettings
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.token.conftest import (
    bearer,
    refresh_header,
    stateless_client,
    with_tokens,
)

pytestmark = pytest.mark.redis_single_and_cluster

REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
VALIDATE = "/api/v1/auth/validate"
CONCURRENT = 200
LIMIT = 37


def limited(settings: AuthSettings, prefix: str, keys_dir: Path, **routes: object) -> AuthSettings:
    return with_tokens(settings, prefix, keys_dir=str(keys_dir)).model_copy(
        update={"rate_limits": AuthRateLimitSettings.model_validate(routes)}
    )


@pytest.fixture
def per_ip(settings: AuthSettings, test_prefix: str, keys_dir: Path) -> AuthSettings:
    return limited(
        settings,
        test_prefix,
        keys_dir,
        refresh={"per_ip": f"{LIMIT}/minute", "per_session": "off"},
        logout={"per_ip": "2/minute", "per_session": "off"},
    )


@pytest.fixture
async def apps(per_ip: AuthSettings) -> AsyncIterator[tuple[FastAPI, FastAPI]]:
    first, second = create_app(per_ip), create_app(per_ip)
    async with first.router.lifespan_context(first), second.router.lifespan_context(second):
        yield first, second


async def sessions(app: FastAPI, count: int) -> list[TokenPair]:
    tokens: TokenSystem = app.state.tokens
    return [
        await tokens.service.issue_and_register(
            user_id=uuid.uuid4(), provider="google", device_id=None, user_agent=None
        )
        for _ in range(count)
    ]


async def refresh_all(app: FastAPI, pairs: list[TokenPair]) -> list[httpx.Response]:
    """One refresh per session, all at once, from the same address (the test client's)."""
    async with stateless_client(app) as api:
        sent = (api.post(REFRESH, headers=refresh_header(p)) for p in pairs)
        return list(await asyncio.gather(*sent))


def assert_refused(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 429
    assert response.json()["code"] == "RATE_LIMITED"
    assert response.headers["ratelimit-limit"] == str(limit)
    assert response.headers["ratelimit-remaining"] == "0"
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert "set-cookie" not in response.headers


async def test_of_200_concurrent_refreshes_from_one_address_exactly_the_limit_rotate(
    apps: tuple[FastAPI, FastAPI],
) -> None:
    app, _ = apps
    pairs = await sessions(app, CONCURRENT)
    answers = await refresh_all(app, pairs)
    statuses = [r.status_code for r in answers]
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == CONCURRENT - LIMIT
    for refused in (r for r in answers if r.status_code == 429):
        assert_refused(refused, LIMIT)
    async with stateless_client(app) as api:
        metrics = (await api.get("/metrics")).text
    assert 'rate_limit_decisions_total{decision="deny",route="refresh",scope="ip"}' in metrics


async def test_two_auth_processes_sharing_redis_admit_the_limit_between_them(
    apps: tuple[FastAPI, FastAPI],
) -> None:
    first, second = apps
    pairs = await sessions(first, CONCURRENT)
    half = CONCURRENT // 2
    answers = await asyncio.gather(
        refresh_all(first, pairs[:half]), refresh_all(second, pairs[half:])
    )
    statuses = [r.status_code for group in answers for r in group]
    # Each process got more than the limit: apart, they would have admitted twice it.
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == CONCURRENT - LIMIT


async def test_a_session_over_its_own_limit_is_refused_from_any_address(
    settings: AuthSettings, test_prefix: str, keys_dir: Path
) -> None:
    app = create_app(
        limited(
            settings,
            test_prefix,
            keys_dir,
            refresh={"per_ip": "off", "per_session": "3/minute"},
        )
    )
    async with app.router.lifespan_context(app), stateless_client(app) as api:
        [pair] = await sessions(app, 1)
        token = pair.refresh_token
        for hop in range(3):
            rotated = await api.post(
                REFRESH,
                headers={**refresh_header(token), "X-Forwarded-For": f"203.0.113.{hop}"},
            )
            assert rotated.status_code == 200
            token = rotated.json()["refresh_token"]
        refused = await api.post(REFRESH, headers=refresh_header(token))
        [other] = await sessions(app, 1)
        unaffected = await api.post(REFRESH, headers=refresh_header(other))
    assert_refused(refused, 3)
    assert unaffected.status_code == 200


async def test_a_logout_over_the_address_limit_ends_nothing(
    apps: tuple[FastAPI, FastAPI],
) -> None:
    app, _ = apps
    pairs = await sessions(app, 3)
    async with stateless_client(app) as api:
        answers = [await api.post(LOGOUT, headers=bearer(p.access_token)) for p in pairs]
        still = await api.get(VALIDATE, headers=bearer(pairs[2].access_token))
    assert [a.status_code for a in answers] == [204, 204, 429]
    assert_refused(answers[2], 2)
    assert still.status_code == 200  # the refused logout did not end its session
