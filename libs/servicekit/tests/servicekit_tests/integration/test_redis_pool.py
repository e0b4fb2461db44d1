"""The Redis client's pool: more concurrent commands than connections wait, not fail."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from servicekit.redis import create_redis, ping_redis
from testkit.servers import redis_server


async def test_a_command_waits_for_a_connection_when_all_are_in_use() -> None:
    with redis_server() as url:
        client = create_redis(url, max_connections=4, timeout=2.0)
        assert isinstance(client, Redis)
        pool = client.connection_pool
        held = [await pool.get_connection("PING") for _ in range(4)]
        try:
            waiting = asyncio.ensure_future(ping_redis(client))
            await asyncio.sleep(0.2)
            assert not waiting.done()  # queued, not failed with "Too many connections"
            await pool.release(held.pop())
            await asyncio.wait_for(waiting, timeout=2)
        finally:
            for connection in held:
                await pool.release(connection)
            await client.aclose()


async def test_a_pool_kept_busy_past_its_timeout_fails_with_a_connection_error() -> None:
    with redis_server() as url:
        client = create_redis(url, max_connections=1, timeout=0.3)
        assert isinstance(client, Redis)
        held = await client.connection_pool.get_connection("PING")
        try:
            with pytest.raises(RedisConnectionError):
                await ping_redis(client)
        finally:
            await client.connection_pool.release(held)
            await client.aclose()
