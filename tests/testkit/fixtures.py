"""Pytest fixtures a service's test package re-exports from its conftest.

`database_url` (session): a new database with the service's migrations
applied; `redis_url` / `redis_prefix` (session): a Redis server and an isolated
key namespace on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from testkit.databases import temporary_database
from testkit.redis_namespace import redis_namespace
from testkit.servers import postgres_server, redis_server

Migrate = Callable[[str], None]


def database_fixture(label: str, migrate: Migrate) -> Callable[[], Iterator[str]]:
    """A session fixture yielding the asyncpg URL of a migrated throwaway database."""

    @pytest.fixture(scope="session", name="database_url")
    def service_database_url() -> Iterator[str]:
        with postgres_server() as admin_url, temporary_database(admin_url, label) as url:
            migrate(url)
            yield url

    return service_database_url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def redis_prefix(redis_url: str) -> Iterator[str]:
    with redis_namespace(redis_url, "session") as prefix:
        yield prefix
