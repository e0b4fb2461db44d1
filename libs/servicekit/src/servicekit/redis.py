"""The asyncio Redis client."""

from __future__ import annotations

from redis.asyncio import Redis


def create_redis(url: str, *, max_connections: int = 64, timeout: float = 2.0) -> Redis:
    """A pooled client that reconnects by itself after a Redis restart."""
    client: Redis = Redis.from_url(
        url,
        max_connections=max_connections,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=15,
        decode_responses=False,
    )
    return client


async def ping_redis(client: Redis) -> None:
    """Raise unless Redis answers PING."""
    if not await client.ping():
        raise ConnectionError("redis did not answer PING")
