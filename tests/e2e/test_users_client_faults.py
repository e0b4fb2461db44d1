"""auth's users client against the real users app: hostile profile text and recovery.

The users app runs in process, served by uvicorn on a free loopback port, on a
throwaway database and its own Redis namespace; auth's client is built exactly as
auth builds it (`build_users_client`, default retry and breaker settings). The
recovery test puts a `TcpProxy` in front of users, cuts it until the breaker is
open, restores it and measures how long logins stay refused.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import SecretStr

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.services.profile_normalizer import external_identity
from auth.application.users.dto.identity import ExternalIdentity
from auth.application.users.exceptions.gateway import (
    UserServiceRejectedError,
    UserServiceUnavailableError,
)
from auth.infrastructure.users_client.httpx_user_gateways import HttpxUserCommandGateway
from auth.setup.oauth_settings import UsersApiSettings
from auth.setup.oauth_system import build_users_client
from kernel.clock import SystemClock
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
from testkit.tcp_proxy import TcpProxy
from users.domain.entities.user import User
from users.domain.value_objects.email import Email
from users.domain.value_objects.provider_user_id import ProviderUserId
from users.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from users.infrastructure.persistence_postgres.registry import SCHEMA
from users.setup.access_token_settings import AccessTokenSettings
from users.setup.app import create_app
from users.setup.settings import UsersSettings
from users_tests.factories import public_pem

__all__ = ["postgres_admin_url", "redis_prefix", "redis_target", "redis_url", "single_redis_url"]

TOKEN = "users-client-faults-token-0123456789abcdef"
RECOVERY_BOUND_SECONDS = 1.0
UNSAFE = {"nul": "\x00", "lone-surrogate": chr(0xD800)}

database_url = database_fixture("users_client", lambda url: upgrade(SCRIPT_LOCATION, url, SCHEMA))


@pytest.fixture
async def users_port(database_url: str, redis_url: str, redis_prefix: str) -> AsyncIterator[int]:
    """The port of a real users app."""
    settings = UsersSettings(
        profile="test",
        database_url=SecretStr(database_url),
        redis_url=SecretStr(redis_url),
        redis_key_prefix=redis_prefix,
        internal_api_token=SecretStr(TOKEN),
        events_stream=f"{redis_prefix}events:users",
        access_token=AccessTokenSettings(public_key_pem=public_pem(Ed25519PrivateKey.generate())),
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app), serving(app) as port:
        yield port


@asynccontextmanager
async def users_gateway(
    port: int, answers: list[dict[str, Any]] | None = None
) -> AsyncIterator[HttpxUserCommandGateway]:
    """auth's gateway to users at ``port``, with auth's default client settings.

    Every account users answers (its whole body: auth itself reads only the id) is
    appended to ``answers``.
    """
    settings = UsersApiSettings(url=f"http://127.0.0.1:{port}", token=SecretStr(TOKEN))

    async def keep(response: httpx.Response) -> None:
        if answers is not None and response.status_code in (200, 201):
            await response.aread()
            answers.append(response.json())

    async with httpx.AsyncClient(base_url=settings.url, event_hooks={"response": [keep]}) as http:
        yield HttpxUserCommandGateway(build_users_client(settings, http, SystemClock()))


def profile(nickname: str = "지구지킴이", email: str = "eco@example.com") -> ProviderProfile:
    return ProviderProfile(
        provider="kakao",
        provider_user_id=uuid.uuid4().hex,
        email=email,
        email_verified=True,
        nickname=nickname,
        profile_image_url="https://img.example.com/p/1.png",
    )


def raw(profile: ProviderProfile) -> ExternalIdentity:
    """The profile as the old callback sent it: not normalised."""
    return ExternalIdentity(
        provider=profile.provider,
        provider_user_id=profile.provider_user_id,
        email=profile.email,
        email_verified=profile.email_verified,
        nickname=profile.nickname,
        profile_image_url=profile.profile_image_url,
    )


def test_auth_caps_profile_text_at_the_users_limits() -> None:
    assert ExternalIdentity.PROVIDER_USER_ID_MAX_LEN == ProviderUserId.MAX_LEN
    assert ExternalIdentity.EMAIL_MAX_LEN == Email.MAX_LEN
    assert ExternalIdentity.NICKNAME_MAX_LEN == User.NAME_MAX_LEN
    assert ExternalIdentity.PROFILE_IMAGE_URL_MAX_LEN == User.IMAGE_URL_MAX_LEN


@pytest.mark.parametrize("unsafe", UNSAFE.values(), ids=UNSAFE.keys())
async def test_unsafe_profile_text_is_422_raw_and_200_after_auths_normalisation(
    users_port: int, unsafe: str
) -> None:
    dirty = profile(nickname=f"Eco{unsafe}Fan", email=f"eco{unsafe}@example.com")
    answers: list[dict[str, Any]] = []
    async with users_gateway(users_port, answers) as users:
        with pytest.raises(UserServiceRejectedError, match="422 REQUEST_INVALID"):
            await users.get_or_create(raw(dirty))
        account = await users.get_or_create(external_identity(dirty))
    [answer] = answers
    assert (answer["user_id"], answer["created"]) == (str(account.user_id), True)
    assert (answer["nickname"], answer["email"]) == ("EcoFan", None)


async def test_five_rejected_profiles_do_not_open_the_breaker_and_the_sixth_login_succeeds(
    users_port: int,
) -> None:
    answers: list[dict[str, Any]] = []
    async with users_gateway(users_port, answers) as users:
        for unsafe in [*UNSAFE.values(), *UNSAFE.values(), "\x00"]:
            with pytest.raises(UserServiceRejectedError):
                await users.get_or_create(raw(profile(nickname=f"Eco{unsafe}")))
        account = await users.get_or_create(external_identity(profile()))
    [answer] = answers
    assert (answer["user_id"], answer["created"]) == (str(account.user_id), True)


async def _until_the_circuit_opens(users: HttpxUserCommandGateway) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            await users.get_or_create(external_identity(profile()))
        except UserServiceUnavailableError as error:
            if "circuit is open" in str(error):
                return
    raise AssertionError("the breaker did not open within 15 s of users being cut off")


async def test_logins_flow_again_within_a_second_of_users_answering_again(users_port: int) -> None:
    proxy = TcpProxy("127.0.0.1", users_port)
    await proxy.start()
    answers: list[dict[str, Any]] = []
    async with users_gateway(proxy.port, answers) as users:
        account = await users.get_or_create(external_identity(profile()))
        assert (answers[0]["user_id"], answers[0]["created"]) == (str(account.user_id), True)
        await proxy.stop()
        await _until_the_circuit_opens(users)
        # Stay down a while longer, as an outage does: probes keep failing.
        outage_ends = time.monotonic() + 1.5
        while time.monotonic() < outage_ends:
            with pytest.raises(UserServiceUnavailableError):
                await users.get_or_create(external_identity(profile()))
            await asyncio.sleep(0.02)
        await proxy.start()
        restored = time.monotonic()
        recovered: float | None = None
        while time.monotonic() - restored < 10 * RECOVERY_BOUND_SECONDS:
            try:
                await users.get_or_create(external_identity(profile()))
            except UserServiceUnavailableError:
                await asyncio.sleep(0.01)
                continue
            recovered = time.monotonic() - restored
            break
    await proxy.stop()
    assert recovered is not None, "no get_or_create succeeded within 10 s of users answering"
    print(f"users client recovery: first get_or_create {recovered:.3f} s after users answered")
    assert recovered <= RECOVERY_BOUND_SECONDS
