"""The follower: bootstrap from Redis, then follow the revocation stream."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from auth.application.token.ports.blacklist_event_publisher import RevocationEvent, RevocationKind
from auth.domain.token.claims import TokenClaims
from auth.domain.token.token_type import TokenType
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.persistence_redis.redis_blacklist_event_publisher import (
    RedisBlacklistEventPublisher,
)
from auth.infrastructure.persistence_redis.redis_blacklist_store import RedisBlacklistStore
from auth.infrastructure.persistence_redis.revocation_follower import RedisRevocationFollower
from auth.infrastructure.revocation.replica import RevocationReplica
from kernel.clock import SystemClock

USER = uuid.UUID("0190f000-0000-7000-8000-0000000000f1")


class Parts:
    def __init__(self, redis: Redis, prefix: str) -> None:
        keys = RedisKeys(prefix)
        self.keys = keys
        self.store = RedisBlacklistStore(redis, keys, SystemClock())
        self.events = RedisBlacklistEventPublisher(redis, keys, SystemClock(), maxlen=1000)
        self.replica = RevocationReplica(1.0)
        self.follower = RedisRevocationFollower(
            redis, keys, self.store, self.replica, staleness_seconds=1.0
        )

    async def revoke_jti(self, jti: str) -> None:
        until = SystemClock().now() + timedelta(minutes=15)
        await self.events.publish(RevocationEvent(RevocationKind.JTI, jti, until))

    async def confirmed_after(self, instant: float) -> None:
        while (self.replica.confirmed_at or 0.0) <= instant:
            await asyncio.sleep(0.01)


@pytest.fixture
async def parts(redis: Redis, test_prefix: str) -> AsyncIterator[Parts]:
    built = Parts(redis, test_prefix)
    yield built
    await built.follower.stop()


def claims(jti: str) -> TokenClaims:
    now = int(time.time())
    return TokenClaims(
        token_type=TokenType.ACCESS,
        user_id=USER,
        session_id="s",
        jti=jti,
        provider="kakao",
        issued_at=now,
        expires_at=now + 900,
    )


async def test_bootstrap_loads_what_was_revoked_before_start(parts: Parts) -> None:
    await parts.revoke_jti("before-start")
    now = SystemClock().now()
    await parts.events.publish(
        RevocationEvent(RevocationKind.USER, str(USER), now + timedelta(minutes=15), before=now)
    )
    parts.follower.start()
    assert await parts.follower.wait_bootstrapped(timeout=30)
    assert parts.replica.is_fresh()
    assert parts.replica.is_revoked(claims("before-start"))
    older = dataclasses.replace(claims("x"), issued_at=int(time.time()) - 5)
    assert parts.replica.is_revoked(older)


async def test_follows_revocations_made_after_start(parts: Parts) -> None:
    parts.follower.start()
    assert await parts.follower.wait_bootstrapped(timeout=30)
    await parts.revoke_jti("after-start")
    published = time.monotonic()
    await parts.confirmed_after(published)
    assert parts.replica.is_revoked(claims("after-start"))
    assert not parts.replica.is_revoked(claims("never"))


async def test_a_malformed_entry_is_skipped(parts: Parts, redis: Redis) -> None:
    parts.follower.start()
    assert await parts.follower.wait_bootstrapped(timeout=30)
    await redis.xadd(parts.keys.revocations, {"kind": "bogus", "subject": "x"})
    await parts.revoke_jti("after-garbage")
    published = time.monotonic()
    await parts.confirmed_after(published)
    assert parts.replica.is_revoked(claims("after-garbage"))
