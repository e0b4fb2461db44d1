"""Two signing-key rotations under load, through `auth keys`, with the real users app.

auth runs in process, served by uvicorn on a free loopback port, with a key directory
that starts as scripts/run makes it (one private key, no states). users runs in
process too, over ASGI, verifying access tokens as in production: auth's JWKS over
HTTP, its verified-token cache. While clients keep validating at auth, reading
users' `/me` and refreshing, the directory is rotated twice with the PEX's own
command (`keys_command`: generate, wait the rule's time, promote). Then the first
key is removed by force, as for a compromised key.

Settings shrink the waits, not the rule: the JWKS max-age is 1 s, auth looks at its
directory every 0.1 s, and the directory is local (no propagation delay), so a next
key may sign 1.1 s after it is published. What the load did is printed on one line
prefixed `KEY-ROTATION` (`./pants test tests/e2e/test_key_rotation.py -- -s`).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from pydantic import SecretStr

from auth.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION as AUTH_MIGRATIONS
from auth.infrastructure.persistence_postgres.registry import SCHEMA as AUTH_SCHEMA
from auth.infrastructure.security.pem_keys import private_pem
from auth.setup.app import create_app as create_auth
from auth.setup.key_rotation import key_rotation_policy, keys_command
from auth.setup.settings import AuthSettings
from auth.setup.token_settings import TokenSettings
from auth.setup.token_system import TokenSystem
from servicekit.migrations import upgrade
from testkit.asgi_server import serving
from testkit.fixtures import (
    database_fixture,
    postgres_admin_url,
    redis_prefix,
    redis_target,
    redis_url,
    single_redis_url,
)
from users.infrastructure.persistence_postgres.migrations import (
    SCRIPT_LOCATION as USERS_MIGRATIONS,
)
from users.infrastructure.persistence_postgres.registry import SCHEMA as USERS_SCHEMA
from users.setup.access_token_settings import AccessTokenSettings
from users.setup.app import create_app as create_users
from users.setup.settings import UsersSettings

__all__ = ["postgres_admin_url", "redis_prefix", "redis_target", "redis_url", "single_redis_url"]

SERVICE_TOKEN = "key-rotation-service-token-0123456789abcdef"
VALIDATE = "/api/v1/auth/validate"
REFRESH = "/api/v1/auth/refresh"
JWKS = "/api/v1/auth/.well-known/jwks.json"
ME = "/api/v1/users/me"
CLIENTS = 4
MAX_ROUNDS = 2000
"""Per client: the load stops when the rotations are done, or fails at this bound."""
LOAD_SECONDS = 120.0
"""Nor may the load run longer than this."""
ROUNDS_AFTER = 3
"""Rounds each client runs once the last rotation is done (on the last key only)."""


def _migrate(url: str) -> None:
    upgrade(AUTH_MIGRATIONS, url, AUTH_SCHEMA)
    upgrade(USERS_MIGRATIONS, url, USERS_SCHEMA)


database_url = database_fixture("key_rotation", _migrate)


@dataclass
class Stack:
    auth: httpx.AsyncClient
    users: httpx.AsyncClient
    auth_app: FastAPI
    settings: AuthSettings
    keys_dir: Path

    async def keys(self, *argv: str) -> int:
        """`auth keys --dir <keys_dir> …`, with auth's settings (off the event loop)."""
        return await asyncio.to_thread(
            keys_command, self.settings, ["--dir", str(self.keys_dir), *argv]
        )

    async def published(self) -> list[str]:
        """auth's JWKS kids, the signing key first."""
        return [key["kid"] for key in (await self.auth.get(JWKS)).json()["keys"]]

    async def until(self, what: str, condition: object) -> None:
        """Wait (bounded) until the async `condition` holds."""
        deadline = time.monotonic() + 15
        while not await condition():  # type: ignore[operator]
            assert time.monotonic() < deadline, f"{what} did not happen within 15 s"
            await asyncio.sleep(0.05)

    async def sign_in(self) -> tuple[str, str]:
        """A users account and a fresh auth session for it: (access, refresh)."""
        created = await self.users.post(
            "/internal/v1/identities",
            json={"provider": "kakao", "provider_user_id": uuid.uuid4().hex},
            headers={"X-Service-Token": SERVICE_TOKEN},
        )
        assert created.status_code in (200, 201), created.text
        tokens: TokenSystem = self.auth_app.state.tokens
        pair = await tokens.service.issue_and_register(
            user_id=uuid.UUID(created.json()["user_id"]),
            provider="kakao",
            device_id=None,
            user_agent=None,
        )
        return pair.access_token, pair.refresh_token


@pytest.fixture
async def stack(
    database_url: str, redis_url: str, redis_prefix: str, tmp_path: Path
) -> AsyncIterator[Stack]:
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    (keys_dir / "local-1.pem").write_bytes(private_pem(Ed25519PrivateKey.generate()))
    auth_settings = AuthSettings(
        profile="test",
        database_url=SecretStr(database_url),
        redis_url=SecretStr(redis_url),
        redis_key_prefix=f"{redis_prefix}auth:",
        token=TokenSettings(
            keys_dir=keys_dir,
            keys_poll_seconds=0.1,
            keys_propagation_seconds=0,
            jwks_max_age_seconds=1,
        ),
    )
    auth_app = create_auth(auth_settings)
    async with auth_app.router.lifespan_context(auth_app), serving(auth_app) as port:
        auth_url = f"http://127.0.0.1:{port}"
        users_app = create_users(
            UsersSettings(
                profile="test",
                database_url=SecretStr(database_url),
                redis_url=SecretStr(redis_url),
                redis_key_prefix=f"{redis_prefix}users:",
                internal_api_token=SecretStr(SERVICE_TOKEN),
                events_stream=f"{redis_prefix}events:users",
                access_token=AccessTokenSettings(
                    jwks_url=f"{auth_url}{JWKS}", jwks_min_refresh_seconds=0.5
                ),
            )
        )
        async with (
            users_app.router.lifespan_context(users_app),
            httpx.AsyncClient(base_url=auth_url) as auth,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=users_app), base_url="http://users.test"
            ) as users,
        ):
            yield Stack(auth, users, auth_app, auth_settings, keys_dir)


def kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Load:
    """What the clients met: every answer that was not a success is a rejection."""

    rejected: list[str] = field(default_factory=list)
    users_accepted: Counter[str] = field(default_factory=Counter)
    refreshed: Counter[str] = field(default_factory=Counter)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    async def client(self, stack: Stack, access: str, refresh: str) -> tuple[str, str]:
        """Validate, read /me, refresh; again, until `ROUNDS_AFTER` rounds after `done`."""
        deadline = time.monotonic() + LOAD_SECONDS
        rounds_after = 0
        for _ in range(MAX_ROUNDS):
            rounds_after += self.done.is_set()
            validated = await stack.auth.get(VALIDATE, headers=bearer(access))
            if validated.status_code != 200:
                self.rejected.append(f"validate {kid(access)}: {validated.text}")
            me = await stack.users.get(ME, headers=bearer(access))
            if me.status_code == 200:
                self.users_accepted[kid(access)] += 1
            else:
                self.rejected.append(f"users /me {kid(access)}: {me.text}")
            refreshed = await stack.auth.post(
                REFRESH, headers={"X-Refresh-Token": f"Bearer {refresh}"}
            )
            if refreshed.status_code != 200:
                self.rejected.append(f"refresh {kid(refresh)}: {refreshed.text}")
                return access, refresh  # logged out
            access, refresh = refreshed.json()["access_token"], refreshed.json()["refresh_token"]
            self.refreshed[kid(refresh)] += 1
            if rounds_after == ROUNDS_AFTER or time.monotonic() > deadline:
                return access, refresh
            await asyncio.sleep(0.02)
        return access, refresh


async def rotate(stack: Stack) -> str:
    """generate; once auth publishes the key and the rule's wait is over, promote;
    answer the new key once auth signs with it."""
    known = set(await stack.published())
    assert await stack.keys("generate") == 0
    generated = time.monotonic()
    fresh: list[str] = []

    async def published_new() -> bool:
        fresh[:] = [k for k in await stack.published() if k not in known]
        return bool(fresh)

    await stack.until("auth publishing the next key", published_new)
    publish_ahead = key_rotation_policy(stack.settings.token).publish_ahead.total_seconds()
    await asyncio.sleep(max(0.0, publish_ahead - (time.monotonic() - generated)))
    assert await stack.keys("promote") == 0
    [new] = fresh

    async def signing() -> bool:
        return (await stack.published())[0] == new

    await stack.until("auth signing with the promoted key", signing)
    return new


async def test_two_rotations_under_load_lose_nothing_and_a_removed_key_stops_at_once(
    stack: Stack,
) -> None:
    first = (await stack.published())[0]
    assert first == "local-1"  # the directory scripts/run makes, read as before
    bystander = await stack.sign_in()  # signed in before, idle during the rotations
    for check in (
        await stack.auth.get(VALIDATE, headers=bearer(bystander[0])),
        await stack.users.get(ME, headers=bearer(bystander[0])),
    ):
        assert check.status_code == 200, check.text  # both caches now hold it

    load = Load()
    sessions = [await stack.sign_in() for _ in range(CLIENTS)]
    clients = [asyncio.create_task(load.client(stack, *pair)) for pair in sessions]
    second = await rotate(stack)
    third = await rotate(stack)
    load.done.set()
    final = await asyncio.gather(*clients)
    print(
        f"KEY-ROTATION keys {first} -> {second} -> {third}; {CLIENTS} clients; "
        f"users /me accepted by key {dict(load.users_accepted)}; "
        f"refreshes by new key {dict(load.refreshed)}; rejected {len(load.rejected)}",
        flush=True,
    )

    assert load.rejected == []  # 0 valid tokens rejected, 0 users logged out
    assert {kid(access) for access, _ in final} == {third}
    # users accepted tokens of every key, the new ones included.
    assert set(load.users_accepted) == {first, second, third}
    assert set(load.refreshed) >= {second, third}
    assert await stack.published() == [third, first, second]  # both retired keys published

    # The retired keys' tokens may still be valid: retire removes nothing yet.
    assert await stack.keys("retire") == 0
    assert await stack.published() == [third, first, second]

    # A compromised first key, removed by force: auth stops verifying its tokens at once.
    assert await stack.keys("retire", "--kid", first, "--force") == 0

    async def first_removed() -> bool:
        return first not in await stack.published()

    await stack.until("auth dropping the removed key", first_removed)
    rejected = await stack.auth.get(VALIDATE, headers=bearer(bystander[0]))
    assert (rejected.status_code, rejected.headers["x-auth-error"]) == (401, "TOKEN_INVALID")
    refused = await stack.auth.post(REFRESH, headers={"X-Refresh-Token": f"Bearer {bystander[1]}"})
    assert (refused.status_code, refused.json()["code"]) == (401, "TOKEN_INVALID")

    # users, once its copy of the JWKS is older than auth's max-age (1 s), too.
    async def users_rejects() -> bool:
        return (await stack.users.get(ME, headers=bearer(bystander[0]))).status_code == 401

    await stack.until("users rejecting the removed key's token", users_rejects)
    me = await stack.users.get(ME, headers=bearer(bystander[0]))
    assert me.json()["code"] == "TOKEN_INVALID"

    # The sessions that refreshed during the rotations are untouched.
    for access, refresh in final:
        assert (await stack.auth.get(VALIDATE, headers=bearer(access))).status_code == 200
        assert (await stack.users.get(ME, headers=bearer(access))).status_code == 200
        renewed = await stack.auth.post(REFRESH, headers={"X-Refresh-Token": f"Bearer {refresh}"})
        assert renewed.status_code == 200, renewed.text
