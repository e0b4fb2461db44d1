"""The asyncio Redis client: one node, or a Redis Cluster (`<PREFIX>_REDIS_CLUSTER`)."""

from __future__ import annotations

from typing import TypeAlias

from redis.asyncio import BlockingConnectionPool, Redis, RedisCluster

from servicekit.redis_cluster import create_redis_cluster

RedisClient: TypeAlias = Redis | RedisCluster
"""What a store is given: the commands, scripts and streams it uses behave alike on
both (on a cluster, every script and multi-key command names keys of one hash slot)."""


def create_redis(
    url: str, *, cluster: bool = False, max_connections: int = 64, timeout: float = 2.0
) -> RedisClient:
    """A pooled client that reconnects by itself after a Redis restart or failover.

    When all `max_connections` are in use, a command waits up to `timeout` for one to
    come back (a blocking pool) instead of failing at once with "Too many connections":
    a burst of concurrent requests (64 refreshes while the revocation follower holds a
    connection in XREAD) queues briefly rather than answering 503 with Redis healthy.
    With `cluster`, `url` names any node of a Redis Cluster (see `redis_cluster`).
    """
    if cluster:
        return create_redis_cluster(url, max_connections=max_connections, timeout=timeout)
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


async def ping_redis(client: RedisClient) -> None:
    """Raise unless Redis answers PING (on a cluster: every primary, since each serves
    a share of the keys)."""
    if isinstance(client, RedisCluster):
        answered = await client.ping(target_nodes=RedisCluster.PRIMARIES)
    else:
        answered = await client.ping()
    if not answered:
        raise ConnectionError("redis did not answer PING")
