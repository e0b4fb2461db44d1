"""Every Lua script auth runs gets keys of one hash slot, so it runs on a Redis Cluster.

The stores are driven against a recording stand-in for redis-py: each script call's
KEYS are hashed with redis-py's own `key_slot` (CRC16 mod 16384, hash tags honoured),
for many users and sessions, so keys that only shared a slot by chance would show.
The integration suites run the same stores on a real cluster too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from redis.crc import key_slot

from auth.application.token.dto.token import TokenPair
from auth.application.token.ports.blacklist_event_publisher import RevocationEvent, RevocationKind
from auth.domain.token.claims import TokenClaims
from auth.domain.token.session import Session
from auth.domain.token.token_type import TokenType
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.persistence_redis.redis_blacklist_event_publisher import (
    RedisBlacklistEventPublisher,
)
from auth.infrastructure.persistence_redis.redis_blacklist_store import RedisBlacklistStore
from auth.infrastructure.persistence_redis.redis_session_store import RedisSessionStore
from auth.infrastructure.persistence_redis.revocation_epoch import RedisRevocationEpoch
from kernel.clock import SystemClock

PREFIX = "auth:"
SAMPLES = 40


class RecordingRedis:
    """Records the KEYS of every script call; answers `reply` to a script and the next
    of `pipeline_replies` to a pipeline (both set by the test)."""

    def __init__(self) -> None:
        self.script_keys: list[list[str]] = []
        self.reply: Any = None
        self.pipeline_replies: list[list[Any]] = []

    def register_script(self, source: str) -> _Script:
        return _Script(self, source)

    def pipeline(self, transaction: bool = False) -> _Pipeline:
        return _Pipeline(self)


class _Script:
    def __init__(self, redis: RecordingRedis, source: str) -> None:
        self.redis, self.script, self.sha = redis, source, "sha"

    async def __call__(self, keys: Sequence[str], args: Sequence[Any]) -> Any:
        self.redis.script_keys.append(list(keys))
        return self.redis.reply


class _Pipeline:
    """Takes any command; `execute` answers the next queued reply."""

    def __init__(self, redis: RecordingRedis) -> None:
        self.redis = redis

    async def __aenter__(self) -> _Pipeline:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, command: str) -> Any:
        return lambda *args, **kwargs: None

    async def execute(self) -> list[Any]:
        return self.redis.pipeline_replies.pop(0)


def one_slot(keys: list[str]) -> bool:
    return len({key_slot(key.encode()) for key in keys}) == 1


def pair(sid: str) -> TokenPair:
    now = datetime.now(UTC)
    return TokenPair("a", "r", "aj", sid, now, now + timedelta(days=1), refresh_jti="rj")


def session(sid: str, user: uuid.UUID) -> Session:
    now = datetime.now(UTC)
    return Session(
        sid,
        user_id=user,
        provider="kakao",
        device_id=None,
        user_agent=None,
        created_at=now,
        last_used_at=now,
        expires_at=now + timedelta(days=1),
    )


async def test_each_session_script_touches_one_slot_the_users() -> None:
    redis = RecordingRedis()
    store = RedisSessionStore(redis, RedisKeys(PREFIX))  # type: ignore[arg-type]
    for _ in range(SAMPLES):
        user, sid = uuid.uuid4(), uuid.uuid4().hex
        redis.reply = None
        await store.register(session(sid, user), pair(sid))
        redis.reply = [b"missing"]
        await store.rotate(
            session_id=sid,
            user_id=user,
            presented_jti="rj",
            child=pair(sid),
            now=datetime.now(UTC),
            grace_seconds=10,
        )
        redis.reply = []
        await store.end(user, sid)
        others = [uuid.uuid4().hex for _ in range(3)]
        # end_all: the set names three sessions, they end, then the set is empty.
        redis.pipeline_replies = [[{other.encode() for other in others}], [set()]]
        redis.reply = [other.encode() for other in others]
        assert await store.end_all(user) == sorted(others)
        user_slot = key_slot(RedisKeys(PREFIX).user_sessions(str(user)).encode())
        calls, redis.script_keys = redis.script_keys, []
        assert len(calls) == 4
        for keys in calls:
            assert one_slot(keys), keys
            assert key_slot(keys[0].encode()) == user_slot
        assert len(calls[-1]) == 1 + 2 * len(others)  # the set, each session and grace key


@pytest.mark.parametrize("prefix", ["auth:", "test:session:0123abcd:", ""])
async def test_each_revocation_script_touches_the_one_revocation_slot(prefix: str) -> None:
    redis = RecordingRedis()
    keys = RedisKeys(prefix)
    clock = SystemClock()
    epoch = RedisRevocationEpoch(
        redis,  # type: ignore[arg-type]
        keys,
        clock,
        access_ttl=timedelta(minutes=15),
        maxlen=1000,
    )
    publisher = RedisBlacklistEventPublisher(redis, keys, clock, maxlen=1000)  # type: ignore[arg-type]
    store = RedisBlacklistStore(redis, keys, clock, epoch)  # type: ignore[arg-type]
    until = clock.now() + timedelta(minutes=15)
    for kind in RevocationKind:
        subject = str(uuid.uuid4())
        before = clock.now() if kind in (RevocationKind.USER, RevocationKind.ALL) else None
        await publisher.publish(RevocationEvent(kind, subject, until, before=before))
    redis.reply = 0
    now = int(clock.now().timestamp())
    claims = TokenClaims(
        token_type=TokenType.ACCESS,
        user_id=uuid.uuid4(),
        session_id="sid",
        jti="jti",
        provider="kakao",
        issued_at=now,
        expires_at=now + 900,
    )
    await store.is_revoked(claims)
    redis.reply = [[], [], [], [], [None, None]]
    await store.snapshot()
    redis.reply = [b"epoch-id", b"1700000000000"]
    await epoch.ensure(expected="epoch-id", last_read=b"1-0")
    slots = {key_slot(key.encode()) for keys in redis.script_keys for key in keys}
    assert len(redis.script_keys) == len(RevocationKind) + 3
    assert slots == {key_slot(keys.revocations.encode())}


def test_without_the_tags_these_keys_would_span_slots() -> None:
    """The check above is not vacuous: the same families, untagged as they were before,
    land on different slots (a cluster refuses such a script: CROSSSLOT)."""
    user, sid = uuid.uuid4(), uuid.uuid4().hex
    assert not one_slot([f"{PREFIX}session:{sid}", f"{PREFIX}user-sessions:{user}"])
    assert not one_slot([f"{PREFIX}deny:jti", f"{PREFIX}deny:sid", f"{PREFIX}revocations"])
