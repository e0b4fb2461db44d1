"""The asyncio Redis client."""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis


def create_redis(url: str, *, max_connections: int = 64, timeout: float = 2.0) -> Redis:
    """A pooled client that reconnects by itself after a Redis restart.

    When all `max_connections` are in use, a command waits up to `timeout` for one to
    come back (a blocking pool) instead of failing at once with "Too many connections":
    a burst of concurrent requests (64 refreshes while the revocation follower holds a
    connection in XREAD) queues briefly rather than answering 503 with Redis healthy.
    """
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=timeout,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=15,
        decode_responses=False,
    )
    return Redis.from_pool(pool)


async def ping_redis(client: Redis) -> None:
    """Raise unless Redis answers PING."""
    if not await client.ping():
        raise ConnectionError("redis did not answer PING")
