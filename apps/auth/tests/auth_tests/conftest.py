"""Fixtures of the auth tests: a migrated database, a Redis namespace, the app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from auth.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from auth.infrastructure.persistence_postgres.registry import SCHEMA
from auth.setup.app import create_app
from auth.setup.rate_limit_settings import AuthRateLimitSettings
from auth.setup.settings import AuthSettings
from servicekit.migrations import upgrade
from testkit.fixtures import (
    RedisTarget,
    database_fixture,
    postgres_admin_url,
    pytest_generate_tests,
    redis_cluster,
    redis_prefix,
    redis_target,
    redis_url,
    single_redis_url,
)

__all__ = [
    "postgres_admin_url",
    "pytest_generate_tests",
    "redis_cluster",
    "redis_prefix",
    "redis_target",
    "redis_url",
    "single_redis_url",
]

database_url = database_fixture("auth", lambda url: upgrade(SCRIPT_LOCATION, url, SCHEMA))


@pytest.fixture
def settings(database_url: str, redis_target: RedisTarget, redis_prefix: str) -> AuthSettings:
    return AuthSettings(
        profile="test",
        database_url=SecretStr(database_url),
        redis_url=SecretStr(redis_target.url),
        redis_cluster=redis_target.cluster,
        redis_key_prefix=redis_prefix,
        # Tests send more than a client would, from one address; the limits have
        # their own tests, which enable them.
        rate_limits=AuthRateLimitSettings(enabled=False),
    )


@pytest.fixture
async def app(settings: AuthSettings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://auth.test") as http:
        yield http
