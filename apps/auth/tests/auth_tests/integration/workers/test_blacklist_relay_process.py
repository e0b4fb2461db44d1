"""The relay as a real process: it applies `user.deleted` and exits cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid

import pytest

from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem, load_keys
from auth.workers.consumers import blacklist_relay
from servicekit.redis import RedisClient
from testkit.fixtures import RedisTarget

pytestmark = pytest.mark.redis_single_and_cluster


async def test_relay_process_revokes_then_stops_on_sigterm(
    settings: AuthSettings, redis: RedisClient, redis_target: RedisTarget, test_prefix: str
) -> None:
    stream = f"{test_prefix}events:users"
    local = settings.model_copy(update={"redis_key_prefix": test_prefix})
    tokens = TokenSystem.build(local, redis, load_keys(local))
    user = uuid.uuid4()
    await tokens.service.issue_and_register(
        user_id=user, provider="kakao", device_id=None, user_agent=None
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "AUTH_PROFILE": "test",
        "AUTH_LOG_LEVEL": "WARNING",
        "AUTH_REDIS_URL": redis_target.url,
        "AUTH_REDIS_CLUSTER": str(redis_target.cluster).lower(),
        "AUTH_REDIS_KEY_PREFIX": test_prefix,
        "AUTH_USER_EVENTS_STREAM": stream,
        "AUTH_RELAY__METRICS_PORT": "0",
        "AUTH_RELAY__BLOCK_SECONDS": "0.1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", blacklist_relay.__name__, env=env
    )
    try:
        await redis.xadd(
            stream,
            {
                "type": "user.deleted",
                "event_id": str(uuid.uuid4()),
                "user_id": str(user),
                "occurred_at": "2026-01-01T00:00:00+00:00",
            },
        )
        # Applied (the session is gone), then acknowledged (nothing pending).
        while await tokens.sessions.list_for_user(user):
            assert process.returncode is None
            await asyncio.sleep(0.05)
        while (await redis.xpending(stream, "auth-blacklist-relay"))["pending"]:
            assert process.returncode is None
            await asyncio.sleep(0.05)
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = await process.wait()
    assert returncode == 0
    assert await tokens.sessions.list_for_user(user) == []
