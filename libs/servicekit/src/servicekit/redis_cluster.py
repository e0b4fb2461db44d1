"""The Redis Cluster client: redis-py's `RedisCluster`, made to behave like our pooled client.

Three differences from a plain `RedisCluster`, each for a failure the service must survive:

- **Connections wait, not fail.** redis-py has no blocking pool for a cluster: a node
  with all its `max_connections` in use fails the next command at once
  (`MaxConnectionsError`). Here every command (and pipeline) first takes one of
  `max_connections` permits per process, waiting up to `timeout` for one, so a burst
  queues as on a single node; holding a permit, it needs at most one connection per
  node, so no node's pool (capped at `max_connections` too) ever runs out.
- **The seed is never forgotten.** redis-py drops a node that failed from the nodes
  it rediscovers the cluster from; after a restart of the whole cluster it could be
  left with none. The URL's node is added back before each rediscovery (with a
  managed cluster, the URL is its configuration endpoint, always the right seed).
- **An unreachable cluster is a connection error.** redis-py reports "cannot connect
  to any node" and "no node serves this slot" as `RedisClusterException`, which is no
  `RedisError`; here they are a `redis.exceptions.ConnectionError`, so they read as
  "Redis is down" (503) everywhere. So is a connection torn down under a command: when
  one node fails, redis-py closes every connection of the client, and a command then
  connecting or writing on one of them meets the transport half gone and raises
  `AttributeError`/`TypeError` from inside redis-py or asyncio (redis-py issues 2349,
  4287), which no recovery layer of redis-py catches.

Failover: a command to a node that fails (refused, reset, timed out) makes the client
rediscover the cluster and try again, up to `CLUSTER_ATTEMPTS` times in all; a MOVED
reply (a replica took over) is followed at once. A slot whose master is gone, before a
replica took over, answers with a connection error: a 503.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from redis.asyncio import RedisCluster
from redis.asyncio.cluster import ClusterNode, ClusterPipeline
from redis.crc import key_slot
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisClusterException, SlotNotCoveredError

CLUSTER_ATTEMPTS = 3
"""Tries of one command across rediscoveries; with the client timeout, what a command
to a node that hangs can take at most (3 times 2 s)."""


class BoundedRedisCluster(RedisCluster):
    """A `RedisCluster` whose commands wait for one of `max_connections` permits."""

    def __init__(self, *, max_connections: int, queue_timeout: float, **kwargs: Any) -> None:
        super().__init__(max_connections=max_connections, **kwargs)
        self._permits = asyncio.Semaphore(max_connections)
        self._queue_timeout = queue_timeout
        self._seeds = dict(self.nodes_manager.startup_nodes)

    @asynccontextmanager
    async def permit(self) -> AsyncIterator[None]:
        """One of the `max_connections` permits, for one command or pipeline."""
        try:
            async with asyncio.timeout(self._queue_timeout):
                await self._permits.acquire()
        except TimeoutError:
            raise RedisConnectionError(
                f"no free Redis connection within {self._queue_timeout} s"
            ) from None
        try:
            yield
        finally:
            self._permits.release()

    async def execute_command(self, *args: Any, **kwargs: Any) -> Any:
        async with self.permit(), _as_connection_errors():
            return await super().execute_command(*args, **kwargs)

    def pipeline(
        self, transaction: Any | None = None, shard_hint: Any | None = None
    ) -> ClusterPipeline:
        if transaction or shard_hint:
            return super().pipeline(transaction, shard_hint)  # raises: no cluster transactions
        return _BoundedPipeline(self)  # type: ignore[abstract]  # as redis-py's own

    async def initialize(self) -> RedisCluster:
        if not self._initialize:
            return self
        startup = self.nodes_manager.startup_nodes
        for name, seed in self._seeds.items():
            if name not in startup:
                startup[name] = ClusterNode(seed.host, seed.port, **self.connection_kwargs)
        try:
            return await super().initialize()
        except RedisClusterException as exc:
            raise RedisConnectionError(str(exc)) from exc


class _BoundedPipeline(ClusterPipeline):
    """A pipeline holding one permit of its client while it runs."""

    def __init__(self, client: BoundedRedisCluster) -> None:
        super().__init__(client)
        self._bounded = client

    async def execute(self, raise_on_error: bool = True, allow_redirections: bool = True) -> Any:
        async with self._bounded.permit(), _as_connection_errors():
            return await super().execute(raise_on_error, allow_redirections)


@asynccontextmanager
async def _as_connection_errors() -> AsyncIterator[None]:
    """A slot no node serves, or a connection closed under the command by the client
    itself, as the `ConnectionError` it is."""
    try:
        yield
    except SlotNotCoveredError as exc:
        raise RedisConnectionError(str(exc)) from exc
    except (AttributeError, TypeError) as exc:
        if not _raised_in_transport(exc):
            raise
        raise RedisConnectionError(f"connection closed under the command: {exc!r}") from exc


def _raised_in_transport(error: BaseException) -> bool:
    """Whether the innermost frame of `error` is redis-py's or asyncio's (not ours)."""
    traceback = error.__traceback__
    while traceback is not None and traceback.tb_next is not None:
        traceback = traceback.tb_next
    module = traceback.tb_frame.f_globals.get("__name__", "") if traceback else ""
    return isinstance(module, str) and module.split(".", 1)[0] in ("redis", "asyncio")


def create_redis_cluster(url: str, *, max_connections: int, timeout: float) -> RedisCluster:
    """A cluster client seeded by `url` (`redis://` or `rediss://`, user and password
    as for one node; a cluster has only database 0)."""
    return BoundedRedisCluster.from_url(
        url,
        max_connections=max_connections,
        queue_timeout=timeout,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=15,
        decode_responses=False,
        require_full_coverage=False,
        cluster_error_retry_attempts=CLUSTER_ATTEMPTS - 1,
        connection_error_retry_attempts=0,
    )


def slot_tag(key: str) -> str:
    """A hash tag (`{...}`) that puts any key containing it on the slot of `key`: the
    part of `key` Redis hashes (its own tag's content, else the whole key).

    :raises ValueError: `key`'s braces make that impossible (e.g. an unclosed `{`).
    """
    start = key.find("{")
    end = key.find("}", start + 1) if start >= 0 else -1
    hashed = key[start + 1 : end] if start >= 0 and end > start + 1 else key
    tag = f"{{{hashed}}}"
    if key_slot(tag.encode()) != key_slot(key.encode()):
        raise ValueError(f"no hash tag puts keys on the slot of {key!r}: change its braces")
    return tag
