"""Lua scripts whose writes are acknowledged only once replicas hold them (WAIT).

Redis replicates asynchronously: a master that dies right after answering a write may
take it along, and the replica that takes over never saw it. For most keys that is a
lost cache entry; for a refresh rotation it is a client holding a token its session
never heard of (the next refresh looks like a reuse and ends the session), for a
revocation a token accepted again. So the writes that must survive a failover run as
a `DurableScript`: the script, then `WAIT replica_acks` on the same connection, in
one round trip. Fewer acknowledgements within `REPLICA_WAIT_MS` (1 s) raise
`ReplicaAckTimeoutError`, a `redis.exceptions.TimeoutError`: the caller answers as
when Redis is down (503), and the client retries (each such write is idempotent or
answers a retry the same way). On a cluster the replica that acknowledged is the one
promoted when its master dies (with several replicas, Redis promotes the most
up to date one). With `replica_acks` 0, a plain script: no WAIT.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redis.asyncio import RedisCluster
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, SlotNotCoveredError
from redis.exceptions import TimeoutError as RedisTimeoutError

from servicekit.redis import RedisClient

REPLICA_WAIT_MS = 1000
"""How long a write waits for its replicas: replication takes well under a millisecond
between healthy nodes, so this is only reached when a replica is down or stalls (a
busy host, a long fork); then the write answers 503 after it."""


def register_script(client: RedisClient, source: str) -> AsyncScript:
    """`client.register_script(source)` for either client (redis-py types the method
    for a single node only; a cluster routes the script by its keys)."""
    return client.register_script(source)  # type: ignore[misc]


class ReplicaAckTimeoutError(RedisTimeoutError):
    """Fewer replicas than required acknowledged a write in time; the write may be
    lost in a failover, so it is not confirmed."""


class DurableScript:
    """A Lua script run by its digest (loaded on a NOSCRIPT reply), waiting for
    `replica_acks` replicas after it."""

    def __init__(self, client: RedisClient, source: str, *, replica_acks: int) -> None:
        self._client = client
        self._replica_acks = replica_acks
        self._script = register_script(client, source)

    async def __call__(self, *, keys: Sequence[str], args: Sequence[Any]) -> Any:
        if self._replica_acks == 0:
            return await self._script(keys=keys, args=args)
        try:
            return await self._run_and_wait(keys, args)
        except NoScriptError:
            await self._client.script_load(self._script.script)
            return await self._run_and_wait(keys, args)

    async def _run_and_wait(self, keys: Sequence[str], args: Sequence[Any]) -> Any:
        client, acks = self._client, self._replica_acks
        if isinstance(client, RedisCluster):
            await client.initialize()  # the node map, once; a no-op afterwards
            try:
                node = client.get_node_from_key(keys[0])
            except SlotNotCoveredError as exc:
                raise RedisConnectionError(str(exc)) from exc
            pipe: Any = client.pipeline()
            pipe.execute_command("EVALSHA", self._script.sha, len(keys), *keys, *args)
            # On the script's node, hence on the script's connection (one per node).
            pipe.execute_command("WAIT", acks, REPLICA_WAIT_MS, target_nodes=node)
        else:
            pipe = client.pipeline(transaction=False)
            pipe.evalsha(self._script.sha, len(keys), *keys, *args)
            pipe.wait(acks, REPLICA_WAIT_MS)
        reply, acknowledged = await pipe.execute()
        if acknowledged < acks:
            raise ReplicaAckTimeoutError(
                f"{acknowledged} of {acks} replicas acknowledged within {REPLICA_WAIT_MS} ms"
            )
        return reply
