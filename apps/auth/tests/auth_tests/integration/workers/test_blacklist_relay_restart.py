"""The relay as a process, with its default (stable) consumer name: SIGKILLed while
holding a message, restarted, it applies that message at once (its own pending
entries), not after the 30 s XAUTOCLAIM idle time. Also: /health, /ready and
/metrics on the configured address, a taken port refused in one line, a log line
per applied event."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime

import httpx
import pytest

from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem, load_keys
from auth.workers.consumers import blacklist_relay
from servicekit.redis import RedisClient
from testkit.fixtures import RedisTarget
from testkit.ports import free_port

pytestmark = pytest.mark.redis_single_and_cluster

GROUP = "auth-blacklist-relay"


def start_relay(
    redis: RedisTarget, prefix: str, *, metrics_port: int, stdout: int = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    """The relay with default consumer name and claim idle time (30 s)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "AUTH_PROFILE": "test",
        "AUTH_LOG_LEVEL": "INFO",
        "AUTH_REDIS_URL": redis.url,
        "AUTH_REDIS_CLUSTER": str(redis.cluster).lower(),
        "AUTH_REDIS_KEY_PREFIX": prefix,
        "AUTH_USER_EVENTS_STREAM": f"{prefix}events:users",
        "AUTH_RELAY__METRICS_PORT": str(metrics_port),
        "AUTH_RELAY__BLOCK_SECONDS": "0.1",
    }
    env.pop("AUTH_RELAY__CONSUMER", None)
    return subprocess.Popen(
        [sys.executable, "-m", blacklist_relay.__name__],  # noqa: S603 - our own module
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


def user_deleted(user: uuid.UUID) -> dict[str, str]:
    return {
        "type": "user.deleted",
        "event_id": str(uuid.uuid4()),
        "user_id": str(user),
        "occurred_at": datetime.now(UTC).isoformat(),
    }


async def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> httpx.Response:
    """GET /health once the relay answers (bounded: 30 s)."""
    async with httpx.AsyncClient(timeout=2) as client:
        for _ in range(600):
            assert process.poll() is None, process.communicate()[1].decode()
            try:
                return await client.get(f"http://127.0.0.1:{port}/health")
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    raise AssertionError("the relay never answered /health")


async def wait_revoked(tokens: TokenSystem, user: uuid.UUID, bound: float) -> float:
    started = time.perf_counter()
    while await tokens.sessions.list_for_user(user):
        assert time.perf_counter() - started < bound, f"user {user} not revoked in {bound} s"
        await asyncio.sleep(0.01)
    return time.perf_counter() - started


async def wait_acknowledged(redis: RedisClient, stream: str) -> None:
    """Until the group has no pending message (bounded: 2 s)."""
    for _ in range(200):
        if (await redis.xpending(stream, GROUP))["pending"] == 0:
            return
        await asyncio.sleep(0.01)


async def login(tokens: TokenSystem) -> uuid.UUID:
    user = uuid.uuid4()
    await tokens.service.issue_and_register(
        user_id=user, provider="kakao", device_id=None, user_agent=None
    )
    return user


def stop(process: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    return process.communicate(timeout=30)


async def test_a_relay_killed_holding_a_message_applies_it_at_once_when_restarted(
    settings: AuthSettings, redis: RedisClient, redis_target: RedisTarget, test_prefix: str
) -> None:
    stream = f"{test_prefix}events:users"
    local = settings.model_copy(update={"redis_key_prefix": test_prefix})
    tokens = TokenSystem.build(local, redis, load_keys(local))
    first_user, held_user = await login(tokens), await login(tokens)

    first_port = free_port()
    first = start_relay(redis_target, test_prefix, metrics_port=first_port)
    try:
        await wait_until_up(first_port, first)
        await redis.xadd(stream, user_deleted(first_user))  # type: ignore[arg-type]
        await wait_revoked(tokens, first_user, bound=30)
        await wait_acknowledged(redis, stream)  # applied first, acknowledged right after
    finally:
        first.kill()
        first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    # The message the killed relay had in hand: delivered to its consumer, never
    # acknowledged (what a SIGKILL between XREADGROUP and XACK leaves behind).
    consumer = socket.gethostname()
    await redis.xadd(stream, user_deleted(held_user))  # type: ignore[arg-type]
    await redis.xreadgroup(GROUP, consumer, {stream: ">"}, count=10)
    assert (await redis.xpending(stream, GROUP))["pending"] == 1

    port = free_port()
    spawned = time.perf_counter()
    second = start_relay(redis_target, test_prefix, metrics_port=port)
    try:
        await wait_until_up(port, second)
        up = time.perf_counter() - spawned
        await wait_revoked(tokens, held_user, bound=10)
        applied = time.perf_counter() - spawned
        await wait_acknowledged(redis, stream)
    finally:
        _, stderr = stop(second)
    print(
        f"restarted relay: up (/health) after {up * 1000:.0f} ms, its own pending message"
        f" applied {applied * 1000:.0f} ms after the restart ({(applied - up) * 1000:.0f} ms"
        " after it was up); claim idle time 30 s"
    )
    assert second.returncode == 0, stderr.decode()
    assert applied - up < 2.0
    assert applied < 10.0  # interpreter start included; far below the 30 s idle time
    assert (await redis.xpending(stream, GROUP))["pending"] == 0
    consumers = await redis.xinfo_consumers(stream, GROUP)
    assert [c["name"].decode() for c in consumers] == [consumer]


async def test_health_ready_metrics_and_a_log_line_per_applied_event(
    settings: AuthSettings, redis: RedisClient, redis_target: RedisTarget, test_prefix: str
) -> None:
    stream = f"{test_prefix}events:users"
    local = settings.model_copy(update={"redis_key_prefix": test_prefix})
    tokens = TokenSystem.build(local, redis, load_keys(local))
    user = await login(tokens)
    port = free_port()
    relay = start_relay(redis_target, test_prefix, metrics_port=port, stdout=subprocess.PIPE)
    try:
        health = await wait_until_up(port, relay)
        event = user_deleted(user)
        await redis.xadd(stream, event)  # type: ignore[arg-type]
        await wait_revoked(tokens, user, bound=30)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            ready = await client.get("/ready")
            metrics = await client.get("/metrics")
    finally:
        stdout, stderr = stop(relay)
    assert relay.returncode == 0, stderr.decode()
    assert health.status_code == 200
    assert ready.status_code == 200
    assert ready.json()["checks"] == ["redis"]
    assert f'auth_relay_messages_total{{group="{GROUP}",outcome="applied"}} 1.0' in metrics.text
    assert "auth_relay_lag_seconds" in metrics.text
    logs = [json.loads(line) for line in stdout.decode().splitlines() if line.startswith("{")]
    [applied] = [entry for entry in logs if entry.get("event_id") == event["event_id"]]
    assert applied["level"] == "info"
    assert applied["user_id"] == str(user)
    assert applied["outcome"] == "applied"


def test_a_taken_port_exits_with_one_line_naming_the_variable(
    redis_target: RedisTarget, test_prefix: str
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        relay = start_relay(redis_target, test_prefix, metrics_port=taken.getsockname()[1])
        _, stderr = relay.communicate(timeout=30)
    lines = stderr.decode().strip().splitlines()
    print(f"taken port: exit {relay.returncode}, stderr {lines}")
    assert relay.returncode != 0
    assert len(lines) == 1
    assert "AUTH_RELAY__METRICS_PORT" in lines[0]
    assert "Traceback" not in stderr.decode()
