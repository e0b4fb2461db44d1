"""Token integration fixtures: a Redis client, an isolated key prefix per test, a key dir.

Modules marked `redis_single_and_cluster` run on a single Redis and on a Redis Cluster
(see `testkit.fixtures`): `redis` and `settings` follow `redis_target`."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from fastapi import FastAPI

from auth.application.token.dto.token import TokenPair
from auth.infrastructure.revocation.replica import RevocationReplica
from auth.setup.settings import AuthSettings
from auth.setup.token_settings import TokenSettings
from servicekit.redis import RedisClient
from testkit.fixtures import RedisTarget


@pytest.fixture
async def redis(redis_target: RedisTarget) -> AsyncIterator[RedisClient]:
    client = redis_target.client()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def test_prefix(redis_prefix: str) -> str:
    """A prefix of its own for one test, inside the session's namespace (deleted with it)."""
    return f"{redis_prefix}{uuid.uuid4().hex[:8]}:"


async def replica_confirmed_after(replica: RevocationReplica, instant: float) -> None:
    """Wait until `replica` has confirmed every revocation made before monotonic `instant`.
    `age()` reads the clock after `now` does, so `now - age` is never later than the
    confirmation itself."""
    while True:
        now = time.monotonic()
        age = replica.age()
        if age >= 0 and now - age > instant:
            return
        await asyncio.sleep(0.01)


def stateless_client(app: FastAPI) -> httpx.AsyncClient:
    """An httpx client over `app` that keeps no cookies: each request sends only its own."""
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://auth.test")

    async def forget_cookies(_: httpx.Response) -> None:
        http.cookies.clear()

    http.event_hooks["response"] = [forget_cookies]
    return http


@pytest.fixture
async def api(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with stateless_client(app) as http:
        yield http


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("auth-keys")
    key = Ed25519PrivateKey.generate()
    (directory / "test-key.pem").write_bytes(
        key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    )
    return directory


def with_tokens(settings: AuthSettings, prefix: str, **token: object) -> AuthSettings:
    """`settings` under its own key prefix, with token settings overridden."""
    return settings.model_copy(
        update={
            "redis_key_prefix": prefix,
            "token": TokenSettings.model_validate({**settings.token.model_dump(), **token}),
        }
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refresh_header(pair: TokenPair | str) -> dict[str, str]:
    token = pair if isinstance(pair, str) else pair.refresh_token
    return {"X-Refresh-Token": f"Bearer {token}"}


def cookie_header(**cookies: str) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())}
