"""The relay process when Redis comes back empty: it recreates its consumer group (the
group vanished with the data: NOGROUP) and applies the events published after."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem, load_keys
from auth.workers.consumers import blacklist_relay
from testkit.own_servers import OwnRedis, own_redis

STREAM = "eco2:events:users"
GROUP = "auth-blacklist-relay"
BOUND_SECONDS = 10.0


@pytest.fixture
def server() -> Iterator[OwnRedis]:
    with own_redis() as started:
        yield started


async def acknowledged_within(redis: Redis, *, seconds: float) -> int:
    """The group's pending count once it is 0, or as it is after `seconds`: the relay
    acknowledges an event after applying it, so the effect can be seen just before."""
    deadline = time.monotonic() + seconds
    while True:
        pending = int((await redis.xpending(STREAM, GROUP))["pending"])
        if pending == 0 or time.monotonic() >= deadline:
            return pending
        await asyncio.sleep(0.05)


def user_deleted(user: uuid.UUID) -> dict[str, str]:
    return {
        "type": "user.deleted",
        "event_id": str(uuid.uuid4()),
        "user_id": str(user),
        "occurred_at": "2026-01-01T00:00:00+00:00",
    }


async def deleted_within(redis: Redis, settings: AuthSettings, user: uuid.UUID) -> float:
    """Register a session of `user`, publish its deletion, and return the seconds until
    the relay has ended the session; fails after BOUND_SECONDS."""
    tokens = TokenSystem.build(settings, redis, load_keys(settings))
    await tokens.service.issue_and_register(
        user_id=user, provider="kakao", device_id=None, user_agent=None
    )
    published = time.monotonic()
    await redis.xadd(STREAM, user_deleted(user))  # type: ignore[arg-type]
    while await tokens.sessions.list_for_user(user):
        assert time.monotonic() - published < BOUND_SECONDS, "the relay did not apply the event"
        await asyncio.sleep(0.05)
    return time.monotonic() - published


async def test_the_relay_recreates_its_group_and_applies_events_after_redis_came_back_empty(
    settings: AuthSettings, server: OwnRedis
) -> None:
    local = settings.model_copy(
        update={"redis_url": SecretStr(server.url), "redis_key_prefix": "auth:"}
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "AUTH_PROFILE": "test",
        "AUTH_LOG_LEVEL": "WARNING",
        "AUTH_REDIS_URL": server.url,
        "AUTH_REDIS_KEY_PREFIX": "auth:",
        "AUTH_USER_EVENTS_STREAM": STREAM,
        "AUTH_RELAY__METRICS_PORT": "0",
        "AUTH_RELAY__BLOCK_SECONDS": "0.1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", blacklist_relay.__name__, env=env
    )
    try:
        redis = Redis.from_url(server.url)
        try:
            before = await deleted_within(redis, local, uuid.uuid4())
        finally:
            await redis.aclose()
        await asyncio.to_thread(server.stop)
        await asyncio.to_thread(server.start, empty=True)
        restarted = time.monotonic()
        redis = Redis.from_url(server.url)
        try:
            after = await deleted_within(redis, local, uuid.uuid4())
            recovered = time.monotonic() - restarted
            groups = await redis.xinfo_groups(STREAM)
            pending = await acknowledged_within(redis, seconds=5.0)
        finally:
            await redis.aclose()
        assert process.returncode is None
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = await asyncio.wait_for(process.wait(), 15)
    print(
        f"[redis data loss] blacklist relay: user.deleted applied in {before * 1000:.0f} ms"
        f" before the loss; after Redis came back empty, in {after * 1000:.0f} ms from"
        f" publication ({recovered * 1000:.0f} ms from the restart)"
    )
    assert [group["name"] for group in groups] == [GROUP.encode()]
    assert pending == 0
    assert returncode == 0
