"""The relay is woken by the commit (LISTEN/NOTIFY), not only by its poll: an event
goes out well within the poll interval, also after the LISTEN connection dropped,
and the poll still delivers while there is no LISTEN connection at all."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from servicekit.database import create_engine
from servicekit.redis import RedisClient
from users.infrastructure.outbox.asyncpg_commit_listener import AsyncpgCommitListener
from users.infrastructure.outbox.outbox_table import OUTBOX_NOTIFY_CHANNEL
from users.infrastructure.outbox.redis_stream_publisher import RedisStreamPublisher
from users.infrastructure.outbox.sqla_outbox_relay import SqlaOutboxRelay
from users.setup.settings import UsersSettings
from users_tests.integration.outbox.conftest import Sessions, add_events, new_user_ids

pytestmark = pytest.mark.redis_single_and_cluster

LONG_POLL = 5.0

LISTENERS = text(
    "SELECT pid FROM pg_stat_activity"
    " WHERE datname = current_database() AND query LIKE 'LISTEN %' ORDER BY pid"
)


@asynccontextmanager
async def running_relay(
    sessions: Sessions,
    redis: RedisClient,
    settings: UsersSettings,
    listen_engine: AsyncEngine,
    *,
    poll_interval: float,
) -> AsyncIterator[None]:
    publisher = RedisStreamPublisher(
        redis, stream=settings.events_stream, key_prefix=settings.redis_key_prefix,
        dedup_ttl_seconds=3600, replica_acks=settings.replica_acks,
    )  # fmt: skip
    relay = SqlaOutboxRelay(
        sessions, publisher, batch_size=100, poll_interval=poll_interval, max_backoff=1.0
    )
    listener = AsyncpgCommitListener(
        listen_engine, OUTBOX_NOTIFY_CHANNEL, check_interval=1.0, retry_interval=0.05
    )
    stop, wake = asyncio.Event(), asyncio.Event()
    tasks = [
        asyncio.create_task(relay.run(stop, wake)),
        asyncio.create_task(listener.run(wake, stop)),
    ]
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=10)


async def listen_pids(sessions: Sessions) -> list[int]:
    async with sessions() as session:
        return list((await session.execute(LISTENERS)).scalars())


async def wait_for_listener(sessions: Sessions, other_than: int | None = None) -> int:
    """The backend pid of the relay's LISTEN connection, once there is one (bounded: 10 s)."""
    for _ in range(1000):
        pids = [pid for pid in await listen_pids(sessions) if pid != other_than]
        if pids:
            return pids[0]
        await asyncio.sleep(0.01)
    raise AssertionError("the relay never LISTENed")


async def seconds_until_published(
    sessions: Sessions, redis: RedisClient, stream: str, bound: float = 10.0
) -> float:
    """Commit one outbox row; seconds until its stream entry exists (bounded)."""
    before = int(await redis.xlen(stream))
    await add_events(sessions, new_user_ids(1))
    committed = time.perf_counter()
    while int(await redis.xlen(stream)) == before:
        assert time.perf_counter() - committed < bound, "the event never reached the stream"
        await asyncio.sleep(0.002)
    return time.perf_counter() - committed


async def test_a_commit_wakes_the_relay_well_before_its_poll(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings, relay_database_url: str
) -> None:
    engine = create_engine(relay_database_url, pool_size=2)
    try:
        async with running_relay(sessions, redis, relay_settings, engine, poll_interval=LONG_POLL):
            await wait_for_listener(sessions)
            await asyncio.sleep(0.2)  # the relay is idle, in its 5 s poll wait
            delays = [
                await seconds_until_published(sessions, redis, relay_settings.events_stream)
                for _ in range(5)
            ]
    finally:
        await engine.dispose()
    print(
        f"commit -> stream entry with a {LONG_POLL:.0f} s poll: "
        + ", ".join(f"{d * 1000:.1f} ms" for d in delays)
    )
    assert max(delays) < 1.0


async def test_a_dropped_listen_connection_is_replaced(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings, relay_database_url: str
) -> None:
    engine = create_engine(relay_database_url, pool_size=2)
    try:
        async with running_relay(sessions, redis, relay_settings, engine, poll_interval=LONG_POLL):
            first = await wait_for_listener(sessions)
            async with sessions() as session:
                await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
            dropped = time.perf_counter()
            second = await wait_for_listener(sessions, other_than=first)
            reconnected = time.perf_counter() - dropped
            await asyncio.sleep(0.2)
            delay = await seconds_until_published(sessions, redis, relay_settings.events_stream)
    finally:
        await engine.dispose()
    print(
        f"LISTEN connection dropped -> listening again: {reconnected * 1000:.0f} ms;"
        f" then commit -> stream entry: {delay * 1000:.1f} ms"
    )
    assert second != first
    assert reconnected < 2.0
    assert delay < 1.0


async def test_without_a_listen_connection_the_poll_still_delivers(
    sessions: Sessions, redis: RedisClient, relay_settings: UsersSettings
) -> None:
    unreachable = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none", pool_size=1)
    try:
        async with running_relay(sessions, redis, relay_settings, unreachable, poll_interval=0.3):
            await asyncio.sleep(0.5)  # the listener has failed to connect, and retries
            delay = await seconds_until_published(sessions, redis, relay_settings.events_stream)
    finally:
        await unreachable.dispose()
    print(f"no LISTEN connection, poll every 0.3 s: commit -> stream entry {delay * 1000:.0f} ms")
    assert delay < 2.0
