"""The Redis client's pool: more concurrent commands than connections wait, not fail."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from servicekit.redis import create_redis
from testkit.servers import redis_server


async def test_a_burst_beyond_the_pool_waits_for_a_connection() -> None:
    with redis_server() as url:
        client = create_redis(url, max_connections=4, timeout=2.0)
        empty_list = f"test:pool:{uuid.uuid4().hex}"
        try:
            # Each BLPOP holds its connection for 0.2 s: 12 of them need three turns of 4.
            replies = await asyncio.wait_for(
                asyncio.gather(*(client.blpop([empty_list], timeout=0.2) for _ in range(12))),
                timeout=10,
            )
        finally:
            await client.aclose()
    assert replies == [None] * 12


async def test_a_pool_kept_busy_past_its_timeout_fails_with_a_connection_error() -> None:
    with redis_server() as url:
        client = create_redis(url, max_connections=1, timeout=0.3)
        held = await client.connection_pool.get_connection("PING")
        try:
            with pytest.raises(RedisConnectionError):
                await client.ping()
        finally:
            await client.connection_pool.release(held)
            await client.aclose()
