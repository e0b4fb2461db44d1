"""The follower: bootstrap from Redis, then follow the revocation stream (on a single
Redis and on a cluster, where the revocation family lives on one slot)."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from auth.application.token.ports.blacklist_event_publisher import RevocationEvent, RevocationKind
from auth.domain.token.claims import TokenClaims
from auth.domain.token.token_type import TokenType
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.persistence_redis.redis_blacklist_event_publisher import (
    RedisBlacklistEventPublisher,
)
from auth.infrastructure.persistence_redis.redis_blacklist_store import RedisBlacklistStore
from auth.infrastructure.persistence_redis.revocation_epoch import RedisRevocationEpoch
from auth.infrastructure.revocation.redis_revocation_follower import RedisRevocationFollower
from auth.infrastructure.revocation.replica import RevocationReplica
from auth_tests.integration.token.conftest import replica_confirmed_after
from kernel.clock import SystemClock
from servicekit.redis import RedisClient
from testkit.clock import ManualClock

pytestmark = pytest.mark.redis_single_and_cluster

USER = uuid.UUID("0190f000-0000-7000-8000-0000000000f1")


class Parts:
    def __init__(self, redis: RedisClient, prefix: str) -> None:
        keys = RedisKeys(prefix)
        self.keys = keys
        self.epoch = RedisRevocationEpoch(
            redis, keys, SystemClock(), access_ttl=timedelta(minutes=15), maxlen=1000
        )
        self.store = RedisBlacklistStore(redis, keys, SystemClock(), self.epoch)
        self.events = RedisBlacklistEventPublisher(redis, keys, SystemClock(), maxlen=1000)
        self.replica = RevocationReplica(1.0)
        self.follower = RedisRevocationFollower(
            redis, keys, self.store, self.replica, self.epoch, staleness_seconds=1.0
        )

    async def revoke_jti(self, jti: str) -> None:
        until = SystemClock().now() + timedelta(minutes=15)
        await self.events.publish(RevocationEvent(RevocationKind.JTI, jti, until))

    async def confirmed_after(self, instant: float) -> None:
        await replica_confirmed_after(self.replica, instant)


@pytest.fixture
async def parts(redis: RedisClient, test_prefix: str) -> AsyncIterator[Parts]:
    """A follower over a Redis whose revocation epoch began an hour ago."""
    built = Parts(redis, test_prefix)
    long_ago = ManualClock(datetime.now(UTC) - timedelta(hours=1))
    await RedisRevocationEpoch(
        redis, built.keys, long_ago, access_ttl=timedelta(minutes=15), maxlen=1000
    ).ensure()
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


async def test_a_malformed_entry_is_skipped(parts: Parts, redis: RedisClient) -> None:
    parts.follower.start()
    assert await parts.follower.wait_bootstrapped(timeout=30)
    await redis.xadd(parts.keys.revocations, {"kind": "bogus", "subject": "x"})
    await parts.revoke_jti("after-garbage")
    published = time.monotonic()
    await parts.confirmed_after(published)
    assert parts.replica.is_revoked(claims("after-garbage"))


async def wait_for_new_epoch(parts: Parts, old: str | None, what: str) -> float:
    """Seconds until the copy rejects a token issued before now, by a new epoch; bounded."""
    issued_before = dataclasses.replace(claims("never-revoked"), issued_at=int(time.time()) - 1)
    started = time.monotonic()
    while not parts.replica.is_revoked(issued_before):
        assert time.monotonic() - started < 5, f"{what}: no new epoch within 5 s"
        await asyncio.sleep(0.01)
    elapsed = time.monotonic() - started
    assert (await parts.store.snapshot()).epoch not in (None, old)
    print(f"[revocation] {what}: new epoch applied by the copy after {elapsed * 1000:.0f} ms")
    return elapsed


async def test_redis_emptied_under_a_running_follower_starts_a_new_epoch(
    parts: Parts, redis: RedisClient, test_prefix: str
) -> None:
    parts.follower.start()
    assert await parts.follower.wait_bootstrapped(timeout=30)
    await parts.revoke_jti("before-loss")
    await parts.confirmed_after(time.monotonic())
    old = (await parts.store.snapshot()).epoch
    issued_before = dataclasses.replace(claims("never-revoked"), issued_at=int(time.time()) - 1)
    assert not parts.replica.is_revoked(issued_before)
    lost = [key async for key in redis.scan_iter(match=f"{test_prefix}*", count=1000)]
    await redis.delete(*lost)
    await wait_for_new_epoch(parts, old, "keys deleted")
    assert parts.replica.is_revoked(claims("before-loss"))


async def test_a_stream_that_went_backwards_starts_a_new_epoch(
    parts: Parts, redis: RedisClient
) -> None:
    """The marker survived but the stream lost entries the copy had read (an older copy
    of Redis, a failover that lost writes): that is a loss too."""
    parts.follower.start()
    assert await parts.follower.wait_bootstrapped(timeout=30)
    await parts.revoke_jti("read-then-lost")
    await parts.confirmed_after(time.monotonic())
    old = (await parts.store.snapshot()).epoch
    await redis.delete(parts.keys.revocations, parts.keys.denied_jtis)
    await wait_for_new_epoch(parts, old, "stream went backwards")
