"""One contract, two implementations: the in-memory fakes and the Redis adapters agree
(on a single Redis and on a Redis Cluster, where the stores wait for a replica)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from auth.application.token.dto.token import TokenPair
from auth.application.token.ports.blacklist_event_publisher import (
    BlacklistEventPublisher,
    RevocationEvent,
    RevocationKind,
)
from auth.application.token.ports.blacklist_store import BlacklistStore
from auth.application.token.ports.session_store import RotationStatus, SessionStore
from auth.domain.token.claims import TokenClaims
from auth.domain.token.session import Session
from auth.domain.token.token_type import TokenType
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.persistence_redis.redis_blacklist_event_publisher import (
    RedisBlacklistEventPublisher,
)
from auth.infrastructure.persistence_redis.redis_blacklist_store import RedisBlacklistStore
from auth.infrastructure.persistence_redis.redis_session_store import RedisSessionStore
from auth.infrastructure.persistence_redis.revocation_codec import decode_event
from auth.infrastructure.persistence_redis.revocation_epoch import RedisRevocationEpoch
from auth_tests.unit.fakes.token import (
    InMemoryBlacklistStore,
    InMemorySessionStore,
    RecordingEventPublisher,
)
from kernel.clock import SystemClock
from servicekit.redis import RedisClient
from testkit.clock import ManualClock
from testkit.fixtures import RedisTarget

pytestmark = pytest.mark.redis_single_and_cluster

USER = uuid.UUID("0190f000-0000-7000-8000-0000000000e1")


@pytest.fixture(params=["memory", "redis"])
def session_store(
    request: pytest.FixtureRequest, redis_target: RedisTarget, test_prefix: str
) -> SessionStore:
    if request.param == "memory":
        return InMemorySessionStore(SystemClock())
    redis: RedisClient = request.getfixturevalue("redis")
    keys = RedisKeys(test_prefix)
    return RedisSessionStore(redis, keys, replica_acks=redis_target.replica_acks)


@dataclass(frozen=True)
class Blacklist:
    """The write side (publisher) and the read side (store) of one denylist, and a way
    to lose its data (a Redis that came back empty)."""

    publisher: BlacklistEventPublisher
    store: BlacklistStore
    lose_data: Callable[[], Awaitable[None]]


ACCESS_TTL = timedelta(minutes=15)


@pytest.fixture(params=["memory", "redis"])
async def blacklist(
    request: pytest.FixtureRequest, redis_target: RedisTarget, test_prefix: str
) -> AsyncIterator[Blacklist]:
    """A store whose epoch began an hour ago, like one that has run for a while."""
    if request.param == "memory":
        store = InMemoryBlacklistStore()

        async def lose_memory() -> None:
            store.lose_data()

        yield Blacklist(RecordingEventPublisher(store), store, lose_memory)
        return
    redis = redis_target.client()
    keys = RedisKeys(test_prefix)
    long_ago = ManualClock(datetime.now(UTC) - timedelta(hours=1))
    await RedisRevocationEpoch(redis, keys, long_ago, access_ttl=ACCESS_TTL, maxlen=1000).ensure()
    epoch = RedisRevocationEpoch(redis, keys, SystemClock(), access_ttl=ACCESS_TTL, maxlen=1000)

    async def lose_redis() -> None:
        lost = [key async for key in redis.scan_iter(match=f"{test_prefix}*", count=1000)]
        await redis.delete(*lost)

    try:
        yield Blacklist(
            RedisBlacklistEventPublisher(
                redis, keys, SystemClock(), maxlen=1000, replica_acks=redis_target.replica_acks
            ),
            RedisBlacklistStore(redis, keys, SystemClock(), epoch),
            lose_redis,
        )
    finally:
        await redis.aclose()


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def pair(sid: str, n: int) -> TokenPair:
    t = now()
    return TokenPair(
        access_token=f"access-{n}",
        refresh_token=f"refresh-{n}",
        access_jti=f"aj-{n}",
        refresh_jti=f"rj-{n}",
        session_id=sid,
        access_expires_at=t + timedelta(minutes=15),
        refresh_expires_at=t + timedelta(days=14),
    )


def session(sid: str, user: uuid.UUID = USER, device: str | None = "phone") -> Session:
    t = now()
    return Session(
        sid,
        user_id=user,
        provider="kakao",
        device_id=device,
        user_agent="EcoApp/2",
        created_at=t,
        last_used_at=t,
        expires_at=t + timedelta(days=14),
        ip_address="203.0.113.5" if device else None,
        device="Samsung SM-S918N" if device else None,
        os="Android 14" if device else None,
        browser="KakaoTalk" if device else None,
    )


async def rotate(store: SessionStore, sid: str, presented: str, child: TokenPair, grace: float):  # type: ignore[no-untyped-def]
    return await store.rotate(
        session_id=sid,
        user_id=USER,
        presented_jti=presented,
        child=child,
        now=now(),
        grace_seconds=grace,
    )


async def test_register_get_and_list(session_store: SessionStore) -> None:
    registered = session("s1")
    await session_store.register(registered, pair("s1", 1))
    await session_store.register(session("s2", device=None), pair("s2", 2))
    await session_store.register(session("s3", user=uuid.uuid4()), pair("s3", 3))
    got = await session_store.get(USER, "s1")
    assert got is not None
    assert (got.user_id, got.provider, got.device_id, got.user_agent) == (
        USER,
        "kakao",
        "phone",
        "EcoApp/2",
    )
    assert got.created_at == registered.created_at
    assert (got.ip_address, got.device, got.os, got.browser) == (
        "203.0.113.5",
        "Samsung SM-S918N",
        "Android 14",
        "KakaoTalk",
    )
    listed = await session_store.list_for_user(USER)
    assert {s.id for s in listed} == {"s1", "s2"}
    unknown = next(s for s in listed if s.id == "s2")
    assert (unknown.device_id, unknown.ip_address, unknown.device, unknown.os, unknown.browser) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert await session_store.get(USER, "nope") is None
    assert await session_store.get(uuid.uuid4(), "s1") is None  # not that user's


async def test_rotation_then_grace_returns_the_same_child(session_store: SessionStore) -> None:
    await session_store.register(session("s1"), pair("s1", 1))
    child = pair("s1", 2)
    rotated = await rotate(session_store, "s1", "rj-1", child, grace=10)
    assert rotated.status is RotationStatus.ROTATED
    assert rotated.pair == child
    assert rotated.session is not None
    assert rotated.session.device_id == "phone"
    assert (rotated.session.ip_address, rotated.session.browser) == ("203.0.113.5", "KakaoTalk")
    again = await rotate(session_store, "s1", "rj-1", pair("s1", 3), grace=10)
    assert again.status is RotationStatus.GRACE
    assert again.pair == child
    assert again.pair is not None
    assert again.pair.refresh_token == "refresh-2"
    nxt = await rotate(session_store, "s1", "rj-2", pair("s1", 4), grace=10)
    assert nxt.status is RotationStatus.ROTATED


async def test_parent_without_grace_is_reuse_and_ends_the_session(
    session_store: SessionStore,
) -> None:
    await session_store.register(session("s1"), pair("s1", 1))
    await rotate(session_store, "s1", "rj-1", pair("s1", 2), grace=0)
    reused = await rotate(session_store, "s1", "rj-1", pair("s1", 3), grace=0)
    assert reused.status is RotationStatus.REUSED
    assert reused.session is not None
    assert reused.session.user_id == USER
    assert await session_store.get(USER, "s1") is None
    assert await session_store.list_for_user(USER) == []
    missing = await rotate(session_store, "s1", "rj-2", pair("s1", 4), grace=0)
    assert missing.status is RotationStatus.MISSING


async def test_a_session_is_only_found_with_its_user(session_store: SessionStore) -> None:
    await session_store.register(session("s1"), pair("s1", 1))
    stranger = await session_store.rotate(
        session_id="s1",
        user_id=uuid.uuid4(),
        presented_jti="rj-1",
        child=pair("s1", 2),
        now=now(),
        grace_seconds=10,
    )
    assert stranger.status is RotationStatus.MISSING
    assert (await rotate(session_store, "s1", "rj-1", pair("s1", 2), grace=10)).status is (
        RotationStatus.ROTATED
    )


async def test_unknown_jti_is_reuse(session_store: SessionStore) -> None:
    await session_store.register(session("s1"), pair("s1", 1))
    result = await rotate(session_store, "s1", "rj-forged", pair("s1", 2), grace=10)
    assert result.status is RotationStatus.REUSED


async def test_end_and_end_all(session_store: SessionStore) -> None:
    for sid in ("s1", "s2", "s3"):
        await session_store.register(session(sid), pair(sid, 1))
    assert await session_store.end(uuid.uuid4(), "s1") is None  # not that user's
    ended = await session_store.end(USER, "s1")
    assert ended is not None
    assert ended.id == "s1"
    assert await session_store.end(USER, "s1") is None
    assert await session_store.end_all(USER) == ["s2", "s3"]
    assert await session_store.end_all(USER) == []
    assert await session_store.list_for_user(USER) == []


def claims(jti: str = "j", sid: str = "s", iat: datetime | None = None) -> TokenClaims:
    issued = iat or now()
    return TokenClaims(
        token_type=TokenType.ACCESS,
        user_id=USER,
        session_id=sid,
        jti=jti,
        provider="kakao",
        issued_at=int(issued.timestamp()),
        expires_at=int((issued + timedelta(minutes=15)).timestamp()),
    )


async def test_denied_jti_and_session(blacklist: Blacklist) -> None:
    publisher, store = blacklist.publisher, blacklist.store
    until = now() + timedelta(minutes=15)
    await publisher.publish(RevocationEvent(RevocationKind.JTI, "j1", until))
    await publisher.publish(RevocationEvent(RevocationKind.SESSION, "s1", until))
    assert await store.is_revoked(claims(jti="j1"))
    assert await store.is_revoked(claims(sid="s1"))
    assert not await store.is_revoked(claims(jti="j2", sid="s2"))


async def test_revoked_before(blacklist: Blacklist) -> None:
    publisher, store = blacklist.publisher, blacklist.store
    before = now()
    user = str(USER)
    until = before + timedelta(minutes=15)
    await publisher.publish(RevocationEvent(RevocationKind.USER, user, until, before=before))
    assert await store.is_revoked(claims(iat=before - timedelta(seconds=1)))
    assert not await store.is_revoked(claims(iat=before))
    # A later revoke-all moves the instant forward, an earlier one never back.
    earlier = before - timedelta(hours=1)
    await publisher.publish(RevocationEvent(RevocationKind.USER, user, before, before=earlier))
    assert await store.is_revoked(claims(iat=before - timedelta(seconds=1)))


async def test_after_a_data_loss_every_token_issued_before_it_is_revoked(
    blacklist: Blacklist,
) -> None:
    publisher, store = blacklist.publisher, blacklist.store
    issued = now() - timedelta(seconds=10)
    until = now() + ACCESS_TTL
    await publisher.publish(RevocationEvent(RevocationKind.JTI, "j1", until))
    await publisher.publish(RevocationEvent(RevocationKind.SESSION, "s1", until))
    assert not await store.is_revoked(claims(jti="j2", sid="s2", iat=issued))
    await blacklist.lose_data()
    # Revoked before the loss: still revoked, though the denial itself is gone.
    assert await store.is_revoked(claims(jti="j1", iat=issued))
    assert await store.is_revoked(claims(sid="s1", iat=issued))
    # Valid before the loss: rejected too (its session was lost with the data).
    assert await store.is_revoked(claims(jti="j2", sid="s2", iat=issued))
    # Issued after the loss was noticed: valid, and revocable again.
    later = now() + timedelta(seconds=2)
    assert not await store.is_revoked(claims(jti="j3", sid="s3", iat=later))
    await publisher.publish(RevocationEvent(RevocationKind.JTI, "j3", until))
    assert await store.is_revoked(claims(jti="j3", sid="s3", iat=later))


async def test_redis_publication_records_and_announces_together(
    redis: RedisClient, test_prefix: str
) -> None:
    keys = RedisKeys(test_prefix)
    publisher = RedisBlacklistEventPublisher(redis, keys, SystemClock(), maxlen=1000)
    until = now() + timedelta(minutes=15)
    await publisher.publish(RevocationEvent(RevocationKind.JTI, "j9", until))
    assert await redis.zscore(keys.denied_jtis, "j9") == until.timestamp() * 1000
    [(_, fields)] = await redis.xrange(keys.revocations)
    assert decode_event(fields) == RevocationEvent(RevocationKind.JTI, "j9", until)
