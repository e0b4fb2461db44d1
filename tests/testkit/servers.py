"""Where the test PostgreSQL and Redis servers are."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

logger = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


@cache
def docker_available() -> bool:
    """True when a Docker engine answers (not merely when the client is installed)."""
    if os.environ.get("TESTKIT_NO_DOCKER"):
        return False
    try:
        import docker

        client = docker.from_env(timeout=2)
        client.ping()
    except Exception:  # noqa: BLE001 - any failure means "no engine"
        return False
    return True


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield an admin URL (libpq form) of a PostgreSQL server for this test session."""
    if docker_available():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver=None) as container:
            yield container.get_connection_url()
        return
    yield os.environ.get("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)


@contextmanager
def redis_server() -> Iterator[str]:
    """Yield the URL of a Redis server for this test session."""
    if docker_available():
        from testcontainers.redis import RedisContainer

        with RedisContainer("redis:7-alpine") as container:
            host = container.get_container_host_ip()
            yield f"redis://{host}:{container.get_exposed_port(6379)}/0"
        return
    yield os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
