"""The relay as a process (`python -m users.workers.outbox_relay`): SIGKILL and
restart give one stream entry per event; SIGTERM stops it cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter

import httpx
from redis.asyncio import Redis

from users.setup.settings import UsersSettings
from users_tests.conftest import AuthHeaders, NewUser
from users_tests.integration.outbox.conftest import (
    Sessions,
    add_events,
    new_user_ids,
    stream_entries,
)


def start_relay(settings: UsersSettings, *, batch_size: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "USERS_PROFILE": "test",
        "USERS_DATABASE_URL": settings.database_url.get_secret_value(),
        "USERS_REDIS_URL": settings.redis_url.get_secret_value(),
        "USERS_REDIS_KEY_PREFIX": settings.redis_key_prefix,
        "USERS_EVENTS_STREAM": settings.events_stream,
        "USERS_OUTBOX__BATCH_SIZE": str(batch_size),
        "USERS_OUTBOX__POLL_INTERVAL_SECONDS": "0.05",
        "USERS_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "users.workers.outbox_relay"],  # noqa: S603 - our own module
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def wait_for_entries(redis: Redis, stream: str, at_least: int) -> int:
    """Wait (bounded: 60 s) until the stream has ``at_least`` entries; returns the count."""
    for _ in range(6000):
        count = int(await redis.xlen(stream))
        if count >= at_least:
            return count
        await asyncio.sleep(0.01)
    return int(await redis.xlen(stream))


async def test_sigkill_then_restart_gives_exactly_one_entry_per_event(
    sessions: Sessions, redis: Redis, relay_settings: UsersSettings
) -> None:
    events = await add_events(sessions, new_user_ids(3000))
    first = start_relay(relay_settings, batch_size=1000)
    try:
        assert await wait_for_entries(redis, relay_settings.events_stream, 1) >= 1
    finally:
        first.kill()
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL

    second = start_relay(relay_settings, batch_size=1000)
    try:
        count = await wait_for_entries(redis, relay_settings.events_stream, len(events))
    finally:
        second.send_signal(signal.SIGTERM)
        _, stderr = second.communicate(timeout=30)
    assert count == len(events)
    entries = await stream_entries(redis, relay_settings.events_stream)
    assert Counter(e["event_id"] for e in entries) == Counter(str(e.event_id) for e in events)
    assert second.returncode == 0, stderr.decode()


async def test_deleting_an_account_reaches_the_stream(
    client: httpx.AsyncClient,
    new_user: NewUser,
    auth_headers: AuthHeaders,
    settings: UsersSettings,
    redis: Redis,
) -> None:
    """The whole path, on the API's own database: DELETE /me, then the relay."""
    user = await new_user()
    response = await client.delete("/api/v1/users/me", headers=auth_headers(user["user_id"]))
    assert response.status_code == 204
    relay = start_relay(settings, batch_size=100)
    try:
        found: list[dict[str, str]] = []
        for _ in range(6000):
            found = [
                e
                for e in await stream_entries(redis, settings.events_stream)
                if e["user_id"] == user["user_id"]
            ]
            if found:
                break
            await asyncio.sleep(0.01)
    finally:
        relay.send_signal(signal.SIGTERM)
        relay.communicate(timeout=30)
    assert len(found) == 1
    assert found[0]["type"] == "user.deleted"
    assert relay.returncode == 0
