"""Pytest fixtures a service's test package re-exports from its conftest.

`database_url` (module): a new database with the service's migrations applied;
`redis_target` (session): the Redis a test uses, `redis_url` its URL, `redis_prefix`
(module) an isolated key namespace on it. Per module, not per session: Pants runs
several test files in one pytest process (`batch_compatibility_tag`), and each file
still gets an empty database and namespace of its own, as when it ran alone.

A module marked `pytest.mark.redis_single_and_cluster` runs each test that uses
`redis_target` twice: on the single Redis (`[single]`) and on a Redis Cluster of its
own (`[cluster]`, three masters and three replicas started once per pytest session,
see `own_redis_cluster`). The conftest re-exports `pytest_generate_tests` for that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from servicekit.redis import RedisClient, create_redis
from testkit.databases import temporary_database
from testkit.own_servers import OwnRedisCluster, own_redis_cluster
from testkit.redis_namespace import redis_namespace
from testkit.servers import postgres_server, redis_server

Migrate = Callable[[str], None]

SINGLE_AND_CLUSTER = "redis_single_and_cluster"


@dataclass(frozen=True)
class RedisTarget:
    """A Redis a test runs against: its URL, and whether it is a cluster."""

    url: str
    cluster: bool = False

    @property
    def replica_acks(self) -> int:
        """What the services wait for by default here (see `redis_replica_acks`)."""
        return 1 if self.cluster else 0

    def client(self, **options: float) -> RedisClient:
        return create_redis(self.url, cluster=self.cluster, **options)  # type: ignore[arg-type]


def database_fixture(label: str, migrate: Migrate) -> Callable[[], Iterator[str]]:
    """A module fixture yielding the asyncpg URL of a migrated throwaway database."""

    @pytest.fixture(scope="module", name="database_url")
    def service_database_url(postgres_admin_url: str) -> Iterator[str]:
        with temporary_database(postgres_admin_url, label) as url:
            migrate(url)
            yield url

    return service_database_url


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def single_redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def redis_cluster() -> Iterator[OwnRedisCluster]:
    with own_redis_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="session")
def redis_target(request: pytest.FixtureRequest, single_redis_url: str) -> RedisTarget:
    if getattr(request, "param", "single") == "cluster":
        cluster: OwnRedisCluster = request.getfixturevalue("redis_cluster")
        return RedisTarget(cluster.url, cluster=True)
    return RedisTarget(single_redis_url)


@pytest.fixture(scope="session")
def redis_url(redis_target: RedisTarget) -> str:
    return redis_target.url


@pytest.fixture(scope="module")
def redis_prefix(redis_target: RedisTarget) -> Iterator[str]:
    with redis_namespace(redis_target.url, "module", cluster=redis_target.cluster) as prefix:
        yield prefix


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the tests of a module marked `redis_single_and_cluster` on both Redis kinds."""
    if "redis_target" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        SINGLE_AND_CLUSTER
    ):
        metafunc.parametrize("redis_target", ["single", "cluster"], indirect=True, scope="session")
