"""The providers' unlink notices over HTTP: Kakao's webhook (GET and POST) and Naver's
deauthorize callback, with real keys, HMAC signatures and AES encryption, against real
Redis (sessions, replay claims) and PostgreSQL (audit), and a local users API."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from auth.application.token.dto.token import TokenPair
from auth.setup.app import create_app
from auth.setup.oauth_settings import OAuthSettings
from auth.setup.settings import AuthSettings
from auth_tests.integration.fakes.local_server import serve
from auth_tests.integration.fakes.users_api import TOKEN, FakeUsersApi
from auth_tests.provider_notices import (
    KAKAO_ADMIN_KEY,
    KAKAO_APP_ID,
    NAVER_CLIENT_ID,
    NAVER_CLIENT_SECRET,
    kakao_authorization,
    kakao_notice,
    naver_notice,
)

KAKAO_URL = "/api/v1/auth/kakao/unlink"
NAVER_URL = "/api/v1/auth/naver/deauthorize"


@dataclass
class World:
    app: FastAPI
    client: httpx.AsyncClient
    users: FakeUsersApi
    redis: Redis
    prefix: str
    agent: str

    async def member(self, *identities: tuple[str, str]) -> tuple[str, dict[str, TokenPair]]:
        """A user of the users API with these identities, signed in through each."""
        user_id = str(uuid.uuid4())
        self.users.users[user_id] = {"user_id": user_id}
        pairs = {}
        for provider, subject in identities:
            self.users.by_identity[(provider, subject)] = user_id
            pairs[provider] = await self.app.state.tokens.service.issue_and_register(
                user_id=uuid.UUID(user_id), provider=provider, device_id=None, user_agent=None
            )
        return user_id, pairs

    async def valid(self, pair: TokenPair) -> bool:
        response = await self.client.get(
            "/api/v1/auth/validate", headers={"Authorization": f"Bearer {pair.access_token}"}
        )
        assert response.status_code in (200, 401), response.text
        return response.status_code == 200

    async def kakao(self, user_id: str, method: str = "GET", **headers: str) -> httpx.Response:
        fields = kakao_notice(user_id)
        auth = {"Authorization": kakao_authorization(), "User-Agent": self.agent, **headers}
        if method == "GET":
            return await self.client.get(KAKAO_URL, params=fields, headers=auth)
        return await self.client.post(KAKAO_URL, data=fields, headers=auth)

    async def naver(self, fields: dict[str, str]) -> httpx.Response:
        return await self.client.post(NAVER_URL, data=fields, headers={"User-Agent": self.agent})


@pytest.fixture
async def world(settings: AuthSettings, redis_url: str) -> AsyncIterator[World]:
    users = FakeUsersApi()
    async with serve(users.app()) as users_url:
        oauth = OAuthSettings.model_validate(
            {
                "kakao": {
                    "client_id": "kakao-rest-key",
                    "client_secret": "kakao-secret",
                    "admin_key": KAKAO_ADMIN_KEY,
                    "app_id": KAKAO_APP_ID,
                },
                "naver": {"client_id": NAVER_CLIENT_ID, "client_secret": NAVER_CLIENT_SECRET},
                "users": {"url": users_url, "token": TOKEN, "backoff_seconds": 0},
            }
        )
        app = create_app(settings.model_copy(update={"oauth": oauth}))
        redis = Redis.from_url(redis_url)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://auth.test"
            ) as client,
        ):
            yield World(
                app,
                client,
                users,
                redis,
                settings.redis_key_prefix,
                agent=f"agent-{uuid.uuid4().hex}",
            )
        await redis.aclose()


async def audits(database_url: str, agent: str) -> list[tuple[object, ...]]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT result, reason, provider, user_id FROM auth.login_audit"
                    " WHERE user_agent = :agent ORDER BY occurred_at, id"
                ),
                {"agent": agent},
            )
            return [tuple(row) for row in rows]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_kakao_notice_ends_the_link_and_the_sessions_signed_in_through_it(
    world: World, database_url: str, method: str
) -> None:
    kakao_id = str(uuid.uuid4().int)[:10]
    user_id, pairs = await world.member(("kakao", kakao_id), ("naver", "n-1"))
    response = await world.kakao(kakao_id, method)
    assert (response.status_code, response.json()) == (200, {"outcome": "unlinked"})
    assert world.users.by_identity == {("naver", "n-1"): user_id}
    assert not await world.valid(pairs["kakao"])  # ended, its access token revoked at once
    assert await world.valid(pairs["naver"])
    assert await audits(database_url, world.agent) == [
        ("unlink_notice", "unlinked", "kakao", uuid.UUID(user_id))
    ]
    metrics = (await world.client.get("/metrics")).text
    assert 'auth_unlink_notices_total{outcome="unlinked",provider="kakao"}' in metrics


async def test_kakao_for_an_unknown_user_is_200_and_changes_nothing(world: World) -> None:
    user_id, pairs = await world.member(("kakao", "1111"))
    response = await world.kakao("2222")
    assert (response.status_code, response.json()) == (200, {"outcome": "unknown_user"})
    assert world.users.by_identity == {("kakao", "1111"): user_id}
    assert await world.valid(pairs["kakao"])


@pytest.mark.parametrize(
    "authorization", ["KakaoAK wrong-key", f"Bearer {KAKAO_ADMIN_KEY}", "KakaoAK"]
)
async def test_a_wrong_kakao_admin_key_is_401_and_changes_nothing(
    world: World, database_url: str, authorization: str
) -> None:
    user_id, pairs = await world.member(("kakao", "3333"), ("naver", "n-3"))
    response = await world.kakao("3333", Authorization=authorization)
    assert (response.status_code, response.json()["code"]) == (401, "NOTICE_SIGNATURE_INVALID")
    assert world.users.by_identity[("kakao", "3333")] == user_id
    assert world.users.requests == []  # the users service was not even asked
    assert await world.valid(pairs["kakao"])
    assert await audits(database_url, world.agent) == [
        ("unlink_notice", "notice_signature_invalid", "kakao", None)
    ]


async def test_kakao_with_users_down_is_503_and_changes_nothing(world: World) -> None:
    """Kakao counts anything but 200 as a failed delivery (and, when that goes on for
    long, turns the webhook off): a 503 says the notice was not applied."""
    user_id, pairs = await world.member(("kakao", "4444"), ("naver", "n-4"))
    world.users.fail_with = [503, 503, 503]
    response = await world.kakao("4444")
    assert (response.status_code, response.json()["code"]) == (503, "USERS_UNAVAILABLE")
    assert world.users.by_identity[("kakao", "4444")] == user_id
    assert await world.valid(pairs["kakao"])
    again = await world.kakao("4444")
    assert (again.status_code, again.json()) == (200, {"outcome": "unlinked"})


async def test_a_naver_notice_for_the_last_login_method_deletes_the_user(
    world: World, database_url: str
) -> None:
    user_id, pairs = await world.member(("naver", "Hc8f/G4+u8q0"))
    response = await world.naver(naver_notice("Hc8f/G4+u8q0", int(time.time())))
    assert (response.status_code, response.content) == (204, b"")
    assert world.users.deleted == [user_id]
    assert world.users.by_identity == {}
    assert not await world.valid(pairs["naver"])
    assert await audits(database_url, world.agent) == [
        ("unlink_notice", "user_deleted", "naver", uuid.UUID(user_id))
    ]


async def test_a_replayed_naver_notice_is_401_and_changes_nothing(world: World) -> None:
    user_id, _ = await world.member(("naver", "n-5"), ("kakao", "5555"))
    fields = naver_notice("n-5", int(time.time()))
    assert (await world.naver(fields)).status_code == 204
    world.users.by_identity[("naver", "n-5")] = user_id  # linked again since
    requests_before = list(world.users.requests)
    replay = await world.naver(dict(fields))
    assert (replay.status_code, replay.json()["code"]) == (401, "NOTICE_REPLAYED")
    assert world.users.by_identity[("naver", "n-5")] == user_id
    assert world.users.requests == requests_before
    digest = base64.urlsafe_b64decode(fields["signature"] + "=").hex()
    claim = f"{world.prefix}unlink-notice:naver:{digest}"
    assert 600 < await world.redis.ttl(claim) <= 601  # twice the 300 s window, and a second


@pytest.mark.parametrize("age", [330, -330])  # the exact bound: unit tests (manual clock)
async def test_a_stale_or_future_naver_notice_is_401_and_changes_nothing(
    world: World, age: int
) -> None:
    user_id, pairs = await world.member(("naver", "n-6"))
    response = await world.naver(naver_notice("n-6", int(time.time()) - age))
    assert (response.status_code, response.json()["code"]) == (401, "NOTICE_STALE")
    assert world.users.by_identity == {("naver", "n-6"): user_id}
    assert await world.valid(pairs["naver"])


async def test_a_badly_signed_naver_notice_is_401_and_changes_nothing(world: World) -> None:
    user_id, pairs = await world.member(("naver", "n-7"))
    forged = naver_notice("n-7", int(time.time()), signing_secret="not-the-secret")
    response = await world.naver(forged)
    assert (response.status_code, response.json()["code"]) == (401, "NOTICE_SIGNATURE_INVALID")
    assert world.users.by_identity == {("naver", "n-7"): user_id}
    assert await world.valid(pairs["naver"])
    assert world.users.requests == []


async def test_naver_with_users_down_is_503_and_its_retry_applies(world: World) -> None:
    """Not applied, so not remembered: the same notice sent again is not a replay."""
    user_id, pairs = await world.member(("naver", "n-8"), ("kakao", "8888"))
    fields = naver_notice("n-8", int(time.time()))
    world.users.fail_with = [503, 503, 503]
    response = await world.naver(fields)
    assert (response.status_code, response.json()["code"]) == (503, "USERS_UNAVAILABLE")
    assert world.users.by_identity[("naver", "n-8")] == user_id
    assert await world.valid(pairs["naver"])
    retry = await world.naver(dict(fields))
    assert retry.status_code == 204
    assert ("naver", "n-8") not in world.users.by_identity
    assert not await world.valid(pairs["naver"])


async def test_a_naver_notice_that_is_not_a_form_proves_nothing(world: World) -> None:
    user_id, _ = await world.member(("naver", "n-9"))
    response = await world.client.post(NAVER_URL, json=naver_notice("n-9", int(time.time())))
    assert (response.status_code, response.json()["code"]) == (401, "NOTICE_SIGNATURE_INVALID")
    assert world.users.by_identity == {("naver", "n-9"): user_id}


async def test_notices_of_an_unconfigured_provider_are_404(settings: AuthSettings) -> None:
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://a") as client,
    ):
        kakao = await client.get(KAKAO_URL, params=kakao_notice("1"))
        naver = await client.post(NAVER_URL, data=naver_notice("n", int(time.time())))
    for response in (kakao, naver):
        assert (response.status_code, response.json()["code"]) == (
            404,
            "UNLINK_NOTICES_NOT_CONFIGURED",
        )
