"""Fixtures of the users tests: a migrated database, a Redis namespace, the app,
a test Ed25519 signing key whose public half the app trusts, and HTTP helpers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from pydantic import SecretStr

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
from users.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from users.infrastructure.persistence_postgres.registry import SCHEMA
from users.setup.access_token_settings import AccessTokenSettings
from users.setup.app import create_app
from users.setup.rate_limit_settings import UsersRateLimitSettings
from users.setup.settings import UsersSettings
from users_tests.factories import INTERNAL_TOKEN, access_token, identity_body, public_pem

__all__ = [
    "postgres_admin_url",
    "pytest_generate_tests",
    "redis_cluster",
    "redis_prefix",
    "redis_target",
    "redis_url",
    "single_redis_url",
]

database_url = database_fixture("users", lambda url: upgrade(SCRIPT_LOCATION, url, SCHEMA))


@pytest.fixture(scope="session")
def signing_key() -> Ed25519PrivateKey:
    """The stand-in for auth's signing key; generated per test session."""
    return Ed25519PrivateKey.generate()


@pytest.fixture
def settings(
    database_url: str, redis_target: RedisTarget, redis_prefix: str, signing_key: Ed25519PrivateKey
) -> UsersSettings:
    return UsersSettings(
        profile="test",
        database_url=SecretStr(database_url),
        redis_url=SecretStr(redis_target.url),
        redis_cluster=redis_target.cluster,
        redis_key_prefix=redis_prefix,
        internal_api_token=SecretStr(INTERNAL_TOKEN),
        events_stream=f"{redis_prefix}events:users",
        access_token=AccessTokenSettings(public_key_pem=public_pem(signing_key)),
        # Tests send more than a client would, from one address; the limits have
        # their own tests, which enable them.
        rate_limits=UsersRateLimitSettings(enabled=False),
    )


@pytest.fixture
async def app(settings: UsersSettings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://users.test") as http:
        yield http


@pytest.fixture
def internal_headers() -> dict[str, str]:
    return {"X-Service-Token": INTERNAL_TOKEN}


NewUser = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def new_user(client: httpx.AsyncClient, internal_headers: dict[str, str]) -> NewUser:
    """Create an account through the internal API; returns its JSON (with user_id)."""

    async def create(**overrides: Any) -> dict[str, Any]:
        response = await client.post(
            "/internal/v1/identities", json=identity_body(**overrides), headers=internal_headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return create


AuthHeaders = Callable[..., dict[str, str]]


@pytest.fixture
def auth_headers(signing_key: Ed25519PrivateKey) -> AuthHeaders:
    """``Authorization: Bearer`` headers for a user id, signed by the test key."""

    def headers(user_id: uuid.UUID | str, **claims: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {access_token(signing_key, user_id, **claims)}"}

    return headers
