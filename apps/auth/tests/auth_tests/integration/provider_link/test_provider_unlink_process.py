"""The provider unlink as a real process: it serves /ready and /metrics, ends a deleted
account's Kakao link, and exits cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import sys
import uuid

import httpx
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from auth.setup.settings import AuthSettings
from auth.workers.consumers import provider_unlink
from auth_tests.integration.fakes.unlink_providers import KAKAO_ADMIN_KEY, KAKAO_PATH
from auth_tests.integration.provider_link.conftest import Providers
from testkit.ports import free_port


async def stored_links(database_url: str, user: uuid.UUID) -> int:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                text("SELECT count(*) FROM auth.provider_tokens WHERE user_id = :u"), {"u": user}
            )
    finally:
        await engine.dispose()
    return int(count or 0)


async def test_the_worker_process_unlinks_serves_its_metrics_and_stops_on_sigterm(
    settings: AuthSettings,
    database_url: str,
    redis: Redis,
    redis_url: str,
    test_prefix: str,
    providers: Providers,
) -> None:
    stream, user, port = f"{test_prefix}events:users", uuid.uuid4(), free_port()
    providers.fake.kakao_linked.add("9001")
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO auth.provider_tokens (provider, provider_user_id, user_id,"
                    " updated_at) VALUES ('kakao', '9001', :u, now())"
                ),
                {"u": user},
            )
    finally:
        await engine.dispose()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "AUTH_PROFILE": "test",
        "AUTH_LOG_LEVEL": "WARNING",
        "AUTH_DATABASE_URL": database_url,
        "AUTH_REDIS_URL": redis_url,
        "AUTH_REDIS_KEY_PREFIX": test_prefix,
        "AUTH_USER_EVENTS_STREAM": stream,
        "AUTH_PROVIDER_TOKENS__KEYS": json.dumps({"k1": base64.b64encode(os.urandom(32)).decode()}),
        "AUTH_PROVIDER_TOKENS__CURRENT_KID": "k1",
        "AUTH_OAUTH__KAKAO__ADMIN_KEY": KAKAO_ADMIN_KEY,
        "AUTH_OAUTH__KAKAO__UNLINK_URL": providers.fake.base_url + KAKAO_PATH,
        "AUTH_PROVIDER_UNLINK__METRICS_PORT": str(port),
        "AUTH_PROVIDER_UNLINK__BLOCK_SECONDS": "0.1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", provider_unlink.__name__, env=env
    )
    try:
        await redis.xadd(
            stream,
            {
                "type": "user.deleted",
                "event_id": str(uuid.uuid4()),
                "user_id": str(user),
                "occurred_at": "2026-11-29T12:00:00+00:00",
            },
        )
        for _ in range(600):  # at most 30 s: the process starts, then applies and acks
            done = (
                await stored_links(database_url, user) == 0
                and not (await redis.xpending(stream, "auth-provider-unlink"))["pending"]
            )
            if done:
                break
            assert process.returncode is None
            await asyncio.sleep(0.05)
        assert done
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            ready = await client.get("/ready")
            metrics = await client.get("/metrics")
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = await process.wait()
    assert returncode == 0
    assert providers.fake.kakao_linked == set()
    assert ready.status_code == 200
    assert sorted(ready.json()["checks"]) == ["postgres", "redis"]
    assert 'auth_provider_unlinks_total{outcome="unlinked",provider="kakao"} 1.0' in metrics.text
    assert 'auth_relay_messages_total{group="auth-provider-unlink",outcome="applied"} 1.0' in (
        metrics.text
    )
