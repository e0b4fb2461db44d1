"""Pytest fixtures a service's test package re-exports from its conftest.

`database_url` (module): a new database with the service's migrations applied;
`redis_url` (session): a Redis server; `redis_prefix` (module): an isolated key
namespace on it. Per module, not per session: Pants runs several test files in one
pytest process (`batch_compatibility_tag`), and each file still gets an empty
database and namespace of its own, as when it ran alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from testkit.databases import temporary_database
from testkit.redis_namespace import redis_namespace
from testkit.servers import postgres_server, redis_server

Migrate = Callable[[str], None]


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
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="module")
def redis_prefix(redis_url: str) -> Iterator[str]:
    with redis_namespace(redis_url, "module") as prefix:
        yield prefix
