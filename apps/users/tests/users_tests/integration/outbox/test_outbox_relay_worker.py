"""The relay as a process (`python -m users.workers.outbox_relay`): SIGKILL and
restart give one stream entry per event; SIGTERM stops it cleanly; it serves
/health, /ready and /metrics on its configured address, refuses a taken port in one
line, and logs each event it sends."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from datetime import datetime

import httpx
import pytest

from servicekit.redis import RedisClient
from testkit.ports import free_port
from users.setup.settings import UsersSettings
from users_tests.conftest import AuthHeaders, NewUser
from users_tests.integration.outbox.conftest import (
    Sessions,
    add_events,
    new_user_ids,
    stream_entries,
)

pytestmark = pytest.mark.redis_single_and_cluster


def start_relay(
    settings: UsersSettings,
    *,
    batch_size: int,
    metrics_port: int = 0,
    log_level: str = "WARNING",
    stdout: int = subprocess.DEVNULL,
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "USERS_PROFILE": "test",
        "USERS_DATABASE_URL": settings.database_url.get_secret_value(),
        "USERS_REDIS_URL": settings.redis_url.get_secret_value(),
        "USERS_REDIS_CLUSTER": str(settings.redis_cluster).lower(),
        "USERS_REDIS_KEY_PREFIX": settings.redis_key_prefix,
        "USERS_EVENTS_STREAM": settings.events_stream,
        "USERS_OUTBOX__BATCH_SIZE": str(batch_size),
        "USERS_OUTBOX__POLL_INTERVAL_SECONDS": "0.05",
        "USERS_LOG_LEVEL": log_level,
        "USERS_OUTBOX__METRICS_PORT": str(metrics_port),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "users.workers.outbox_relay"],  # noqa: S603 - our own module
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


async def wait_for_entries(redis: RedisClient, stream: str, at_least: int) -> int:
    """Wait (bounded: 60 s) until the stream has ``at_least`` entries; returns the count."""
    for _ in range(6000):
        count = int(await redis.xlen(stream))
        if count >= at_least:
            return count
        await asyncio.sleep(0.01)
    return int(await redis.xlen(stream))


async def test_sigkill_then_restart_gives_exactly_one_entry_per_event(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
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
    redis: RedisClient,
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
    assert found[0]["type"] == "user.deletion_requested"
    assert datetime.fromisoformat(found[0]["purge_after"]) > datetime.fromisoformat(
        found[0]["occurred_at"]
    )
    assert relay.returncode == 0


async def get_when_up(url: str, process: subprocess.Popen[bytes]) -> httpx.Response:
    """GET `url` once the process answers there (bounded: 30 s)."""
    async with httpx.AsyncClient(timeout=2) as client:
        for _ in range(600):
            assert process.poll() is None, "the relay exited"
            try:
                return await client.get(url)
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    raise AssertionError(f"nothing answered at {url}")


async def test_health_ready_and_metrics_on_the_configured_port_and_a_log_per_event(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
) -> None:
    port = free_port()
    relay = start_relay(
        relay_settings, batch_size=10, metrics_port=port, log_level="INFO",
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        health = await get_when_up(f"{base}/health", relay)
        [event] = await add_events(sessions, new_user_ids(1))
        assert await wait_for_entries(redis, relay_settings.events_stream, 1) == 1
        async with httpx.AsyncClient(base_url=base, timeout=5) as client:
            ready = await client.get("/ready")
            metrics = await client.get("/metrics")
    finally:
        relay.send_signal(signal.SIGTERM)
        stdout, stderr = relay.communicate(timeout=30)
    assert relay.returncode == 0, stderr.decode()
    assert health.status_code == 200
    assert ready.status_code == 200
    assert set(ready.json()["checks"]) == {"postgres", "redis"}
    assert 'users_outbox_events_total{outcome="published"} 1.0' in metrics.text
    assert "users_outbox_lag_seconds" in metrics.text
    assert "users_outbox_listening 1.0" in metrics.text
    logs = [json.loads(line) for line in stdout.decode().splitlines() if line.startswith("{")]
    [published] = [entry for entry in logs if entry.get("event_id") == str(event.event_id)]
    assert published["level"] == "info"
    assert published["user_id"] == str(event.user_id)
    assert published["outcome"] == "published"


def test_a_taken_port_exits_with_one_line_naming_the_variable(
    relay_settings: UsersSettings,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        relay = start_relay(relay_settings, batch_size=10, metrics_port=port)
        _, stderr = relay.communicate(timeout=30)
    lines = stderr.decode().strip().splitlines()
    print(f"taken port: exit {relay.returncode}, stderr {lines}")
    assert relay.returncode != 0
    assert len(lines) == 1
    assert "USERS_OUTBOX__METRICS_PORT" in lines[0]
    assert "Traceback" not in stderr.decode()
