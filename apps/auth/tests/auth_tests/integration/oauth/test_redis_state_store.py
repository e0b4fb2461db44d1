"""RedisStateStore against real Redis: no overwrite, TTL, single use under a race."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from auth.application.oauth.dto.link_intent import LinkIntent
from auth.application.oauth.dto.oauth_state import OAuthState
from auth.infrastructure.oauth.redis_state_store import RedisStateStore
from auth.infrastructure.persistence_redis.keys import RedisKeys

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


def pending(state: str, provider: str = "kakao") -> OAuthState:
    return OAuthState(
        state=state,
        provider=provider,
        redirect_uri="https://api.eco2.test/api/v1/auth/kakao/callback",
        frontend_origin="https://eco2.test",
        created_at=NOW,
        code_verifier="v" * 64,
        nonce="n" * 43,
        device_id="device-1",
    )


async def test_a_saved_state_round_trips_once(redis: Redis, redis_prefix: str) -> None:
    store = RedisStateStore(redis, RedisKeys(redis_prefix))
    assert await store.save(pending("s-roundtrip"), 600)
    assert await store.consume("s-roundtrip") == pending("s-roundtrip")
    assert await store.consume("s-roundtrip") is None


async def test_a_link_state_round_trips_with_its_user_and_session(
    redis: Redis, redis_prefix: str
) -> None:
    store = RedisStateStore(redis, RedisKeys(redis_prefix))
    link = LinkIntent(uuid.uuid4(), "session-7")
    assert await store.save(replace(pending("s-link"), link=link), 600) is True
    consumed = await store.consume("s-link")
    assert consumed is not None
    assert consumed.link == link
    assert consumed == replace(pending("s-link"), link=link)


async def test_keys_live_under_the_prefix_with_the_ttl(redis: Redis, redis_prefix: str) -> None:
    store = RedisStateStore(redis, RedisKeys(redis_prefix))
    await store.save(pending("s-ttl"), 600)
    key = f"{redis_prefix}oauth:state:s-ttl"
    ttl = await redis.ttl(key)
    assert 590 <= ttl <= 600
    assert await redis.exists(key) == 1


async def test_save_never_overwrites_an_existing_state(redis: Redis, redis_prefix: str) -> None:
    store = RedisStateStore(redis, RedisKeys(redis_prefix))
    assert await store.save(pending("s-nx", provider="kakao"), 600) is True
    assert await store.save(pending("s-nx", provider="naver"), 600) is False
    consumed = await store.consume("s-nx")
    assert consumed is not None
    assert consumed.provider == "kakao"


async def test_concurrent_consumes_of_one_state_have_exactly_one_winner(
    redis_url: str, redis_prefix: str
) -> None:
    # Separate connections, so the consumes really race at the server.
    clients = [Redis.from_url(redis_url) for _ in range(50)]
    try:
        await RedisStateStore(clients[0], RedisKeys(redis_prefix)).save(pending("s-race"), 600)
        results = await asyncio.gather(
            *(
                RedisStateStore(client, RedisKeys(redis_prefix)).consume("s-race")
                for client in clients
            )
        )
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    winners = [result for result in results if result is not None]
    assert len(winners) == 1
    assert winners[0].nonce == "n" * 43


async def test_an_unknown_state_is_none(redis: Redis, redis_prefix: str) -> None:
    assert await RedisStateStore(redis, RedisKeys(redis_prefix)).consume("never-issued") is None
