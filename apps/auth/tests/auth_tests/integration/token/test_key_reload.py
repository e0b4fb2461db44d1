"""A running auth follows its key directory: rotations apply without a restart, a key
removed from the directory stops verifying at once (cached verifications included),
and a directory caught mid-update or broken leaves the keys in use in place."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import jwt
import pytest
from fastapi import FastAPI

from auth.application.signing_key.dto.signing_key import PromoteKeyRequest, RetireKeysRequest
from auth.application.token.dto.token import TokenPair
from auth.infrastructure.security.key_directory_watcher import KeyDirectoryWatcher
from auth.infrastructure.security.key_manifest import MANIFEST_NAME
from auth.setup.app import create_app
from auth.setup.key_rotation import key_rotation_policy, key_rotation_use_cases
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.signing_key.secret_volume import write_secret_volume
from auth_tests.integration.token.conftest import (
    bearer,
    refresh_header,
    stateless_client,
    with_tokens,
)
from testkit.clock import ManualClock

VALIDATE = "/api/v1/auth/validate"
REFRESH = "/api/v1/auth/refresh"
JWKS = "/api/v1/auth/.well-known/jwks.json"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime.now(UTC))


@pytest.fixture
def keys_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"


@pytest.fixture
def reloading(settings: AuthSettings, test_prefix: str, keys_dir: Path) -> AuthSettings:
    """Settings of an app whose watcher looks only when the test says (`look`)."""
    return with_tokens(
        settings,
        test_prefix,
        keys_dir=str(keys_dir),
        keys_poll_seconds=3600,
        jwks_max_age_seconds=60,
    )


@pytest.fixture
async def app(
    reloading: AuthSettings, keys_dir: Path, clock: ManualClock
) -> AsyncIterator[FastAPI]:
    keys_dir.mkdir()
    key_rotation_use_cases(reloading, keys_dir, clock).generate.execute()
    application = create_app(reloading)
    async with application.router.lifespan_context(application):
        yield application


def watcher(app: FastAPI) -> KeyDirectoryWatcher:
    tokens: TokenSystem = app.state.tokens
    assert tokens.key_watcher is not None
    return tokens.key_watcher


async def login(app: FastAPI) -> TokenPair:
    tokens: TokenSystem = app.state.tokens
    return await tokens.service.issue_and_register(
        user_id=uuid.uuid4(), provider="google", device_id=None, user_agent=None
    )


async def published(api: httpx.AsyncClient) -> list[str]:
    return [key["kid"] for key in (await api.get(JWKS)).json()["keys"]]


def kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


async def test_the_jwks_max_age_is_the_setting(app: FastAPI, api: httpx.AsyncClient) -> None:
    response = await api.get(JWKS)
    assert response.headers["cache-control"] == "public, max-age=60"


async def test_a_rotation_applies_without_a_restart(
    app: FastAPI,
    api: httpx.AsyncClient,
    reloading: AuthSettings,
    keys_dir: Path,
    clock: ManualClock,
) -> None:
    rotation = key_rotation_use_cases(reloading, keys_dir, clock)
    [first] = await published(api)
    before = await login(app)
    assert (await api.get(VALIDATE, headers=bearer(before.access_token))).status_code == 200

    upcoming = rotation.generate.execute()
    assert await watcher(app).check()
    assert await published(api) == [first, upcoming.kid]  # published, not signing yet
    assert kid((await login(app)).access_token) == first

    clock.advance(key_rotation_policy(reloading.token).publish_ahead)
    rotation.promote.execute(PromoteKeyRequest())
    assert await watcher(app).check()
    assert await published(api) == [upcoming.kid, first]  # the signing key first
    assert kid((await login(app)).access_token) == upcoming.kid
    # A session from before the rotation keeps working, and moves to the new key.
    assert (await api.get(VALIDATE, headers=bearer(before.access_token))).status_code == 200
    refreshed = await api.post(REFRESH, headers=refresh_header(before))
    assert refreshed.status_code == 200
    assert kid(refreshed.json()["access_token"]) == upcoming.kid

    rotation.retire.execute(RetireKeysRequest(first, force=True))
    assert await watcher(app).check()
    assert await published(api) == [upcoming.kid]
    # Validated (and so cached) before, the old key's token fails from the next request.
    rejected = await api.get(VALIDATE, headers=bearer(before.access_token))
    assert (rejected.status_code, rejected.headers["x-auth-error"]) == (401, "TOKEN_INVALID")


async def test_nothing_changed_means_nothing_applied(app: FastAPI) -> None:
    await watcher(app).check()  # the first look always loads
    assert not await watcher(app).check()


async def test_a_broken_directory_keeps_the_keys_in_use(
    app: FastAPI, api: httpx.AsyncClient, keys_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pair = await login(app)
    await watcher(app).check()
    manifest = (keys_dir / MANIFEST_NAME).read_bytes()
    (keys_dir / MANIFEST_NAME).write_text("{not json")
    with caplog.at_level(logging.WARNING):
        assert not await watcher(app).check()
    assert "keys.json is not a key manifest" in caplog.records[-1].error  # type: ignore[attr-defined]
    assert (await api.get(VALIDATE, headers=bearer(pair.access_token))).status_code == 200
    assert kid((await login(app)).access_token) == kid(pair.access_token)
    (keys_dir / MANIFEST_NAME).write_bytes(manifest + b"\n")  # repaired (a change)
    assert not await watcher(app).check()  # loaded again: the same keys, nothing to apply
    assert len(await published(api)) == 1


async def test_a_secret_volume_update_applies_once_complete(
    reloading: AuthSettings, tmp_path: Path, clock: ManualClock
) -> None:
    working, mounted = tmp_path / "working", tmp_path / "mounted"
    working.mkdir()
    mounted.mkdir()
    rotation = key_rotation_use_cases(reloading, working, clock)
    first = rotation.generate.execute()

    def secret() -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in working.iterdir()}

    write_secret_volume(mounted, secret(), 1)
    app = create_app(with_tokens(reloading, reloading.redis_key_prefix, keys_dir=str(mounted)))
    async with app.router.lifespan_context(app), stateless_client(app) as api:
        await watcher(app).check()
        upcoming = rotation.generate.execute()
        # Caught between the kubelet's swap of `..data` and its link of the new key
        # file: the manifest names a key auth cannot read yet, so the keys in use stay.
        write_secret_volume(mounted, secret(), 2, complete=False)
        assert not await watcher(app).check()
        assert await published(api) == [first.kid]
        (mounted / f"{upcoming.kid}.pem").symlink_to(f"..data/{upcoming.kid}.pem")
        assert await watcher(app).check()
        assert await published(api) == [first.kid, upcoming.kid]


async def test_the_watcher_looks_by_itself(
    settings: AuthSettings, test_prefix: str, keys_dir: Path, clock: ManualClock
) -> None:
    polling = with_tokens(settings, test_prefix, keys_dir=str(keys_dir), keys_poll_seconds=0.05)
    keys_dir.mkdir()
    rotation = key_rotation_use_cases(polling, keys_dir, clock)
    rotation.generate.execute()
    app = create_app(polling)
    async with app.router.lifespan_context(app), stateless_client(app) as api:
        upcoming = rotation.generate.execute()
        deadline = time.monotonic() + 10
        while upcoming.kid not in await published(api):
            assert time.monotonic() < deadline, "auth did not pick up the new key within 10 s"
            await asyncio.sleep(0.05)
