"""The Redis Cluster client and durable scripts, against Redis Clusters the tests start:
commands queue for a connection as on a single node, an unreachable cluster is a
connection error, and a durable write is confirmed only once a replica holds it (so it
survives its master's death)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import RedisCluster
from redis.exceptions import ConnectionError as RedisConnectionError

from servicekit.redis import create_redis, ping_redis
from servicekit.redis_cluster import BoundedRedisCluster
from servicekit.redis_script import DurableScript, ReplicaAckTimeoutError
from testkit.own_servers import OwnRedisCluster, own_redis_cluster
from testkit.ports import free_port
from testkit.servers import redis_server

SET_AND_READ = "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])"
KEY = "durable:{probe}"


@pytest.fixture
def cluster() -> Iterator[OwnRedisCluster]:
    """A cluster of this test's own: it pauses and kills nodes."""
    with own_redis_cluster() as started:
        yield started


@pytest.fixture
async def client(redis_cluster: OwnRedisCluster) -> AsyncIterator[RedisCluster]:
    started = create_redis(redis_cluster.url, cluster=True, max_connections=2, timeout=2.0)
    assert isinstance(started, RedisCluster)
    yield started
    await started.aclose()


async def test_more_commands_than_connections_wait_for_one_instead_of_failing(
    client: RedisCluster,
) -> None:
    """Two connections, two of them blocked server-side: eight more commands queue (a
    plain RedisCluster fails them at once with MaxConnectionsError)."""
    done: list[str] = []

    async def blocked_pop(key: str) -> None:
        """BLPOP of an empty list: holds its connection for a second, answers None."""
        assert await client.blpop([key], timeout=1) is None  # type: ignore[misc]
        done.append("pop")

    async def ping() -> None:
        await ping_redis(client)
        done.append("ping")

    await asyncio.gather(
        *(blocked_pop(f"empty:{{q}}:{i}") for i in range(2)), *(ping() for _ in range(8))
    )
    assert done == ["pop"] * 2 + ["ping"] * 8  # every ping waited for a connection


async def test_connections_kept_busy_past_the_timeout_fail_as_a_connection_error(
    redis_cluster: OwnRedisCluster,
) -> None:
    client = create_redis(redis_cluster.url, cluster=True, max_connections=1, timeout=0.3)
    assert isinstance(client, BoundedRedisCluster)
    try:
        async with client.permit():  # the one connection is in use
            with pytest.raises(RedisConnectionError, match="no free Redis connection"):
                await ping_redis(client)
        await ping_redis(client)
    finally:
        await client.aclose()


async def test_an_unreachable_cluster_is_a_connection_error() -> None:
    client = create_redis(f"redis://127.0.0.1:{free_port()}/0", cluster=True, timeout=0.5)
    try:
        with pytest.raises(RedisConnectionError):
            await ping_redis(client)
    finally:
        await client.aclose()


async def test_a_durable_write_waits_for_a_replica_and_survives_its_masters_death(
    cluster: OwnRedisCluster,
) -> None:
    client = create_redis(cluster.url, cluster=True, timeout=2.0)
    durable = DurableScript(client, SET_AND_READ, replica_acks=1)
    plain = DurableScript(client, SET_AND_READ, replica_acks=0)
    master = cluster.master_of(KEY)
    replica = cluster.nodes[cluster.replica_of(master)]
    try:
        assert await durable(keys=[KEY], args=["1"]) == b"1"
        replica.pause()  # the master still answers; its replica acknowledges nothing
        try:
            assert await plain(keys=[KEY], args=["2"]) == b"2"
            with pytest.raises(ReplicaAckTimeoutError, match="0 of 1 replicas"):
                await durable(keys=[KEY], args=["3"])
        finally:
            replica.resume()
        await client.script_flush()  # and a script the nodes no longer know is loaded again
        assert await durable(keys=[KEY], args=["4"]) == b"4"
        cluster.kill(master)
        for _ in range(200):  # the replica takes over within a few node timeouts
            try:
                value = await client.get(KEY)
                break
            except RedisConnectionError:
                await asyncio.sleep(0.05)
        else:
            pytest.fail("the replica did not take over within 10 s of retries")
        assert value == b"4"
        assert cluster.master_of(KEY) == replica.port
    finally:
        await client.aclose()


async def test_a_durable_write_on_a_redis_without_replicas_is_not_confirmed() -> None:
    with redis_server() as url:
        client = create_redis(url)
        try:
            durable = DurableScript(client, SET_AND_READ, replica_acks=1)
            with pytest.raises(ReplicaAckTimeoutError):
                await durable(keys=["durable:single"], args=["1"])
            await client.delete("durable:single")
        finally:
            await client.aclose()
