"""Linking a second provider over HTTP: authorize with intent=link (a recent session,
read from Redis), the provider's redirect back, the callback that links through the users
API for the browser holding that session only. Providers and users are local servers."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.setup.app import create_app
from auth.setup.oauth_settings import OAuthSettings
from auth.setup.settings import AuthSettings
from auth_tests.integration.fakes.local_server import serve_all
from auth_tests.integration.fakes.oauth_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    FakeOAuthProvider,
)
from auth_tests.integration.fakes.users_api import TOKEN, FakeUsersApi

AUTH = "http://auth.test"
FRONTEND = "http://localhost:3000"


@dataclass
class World:
    client: httpx.AsyncClient  # to auth, in process; each call sends its own credentials
    browser: httpx.AsyncClient  # to the providers, over HTTP
    acme: FakeOAuthProvider
    kakao: FakeOAuthProvider
    users: FakeUsersApi
    redis: Redis
    prefix: str
    agent: str

    async def redirect_back(self, started: httpx.Response, provider: str) -> str:
        """Let the provider approve; the callback path it sends the browser to."""
        assert started.status_code == 200, started.text
        approved = await self.browser.get(started.json()["authorization_url"])
        assert approved.status_code == 302
        location = approved.headers["location"]
        assert location.startswith(f"{AUTH}/api/v1/auth/{provider}/callback?")
        return location.removeprefix(AUTH)

    async def login(self) -> str:
        """Log in through acme; the access token (cookie s_access)."""
        started = await self.client.get("/api/v1/auth/acme/authorize")
        done = await self.client.get(
            await self.redirect_back(started, "acme"), headers={"User-Agent": self.agent}
        )
        assert done.headers["location"] == f"{FRONTEND}/login/success"
        jar: SimpleCookie = SimpleCookie()
        for header in done.headers.get_list("set-cookie"):
            jar.load(header)
        self.client.cookies.clear()  # httpx kept them: later calls send their own
        return jar["s_access"].value

    async def start_link(self, access: str, provider: str = "kakao") -> httpx.Response:
        return await self.client.get(
            f"/api/v1/auth/{provider}/authorize",
            params={"intent": "link"},
            headers={"Authorization": f"Bearer {access}"},
        )

    async def finish(self, path: str, access: str | None) -> httpx.Response:
        cookie = {"Cookie": f"s_access={access}"} if access else {}
        return await self.client.get(path, headers={"User-Agent": self.agent, **cookie})

    async def sessions(self, access: str) -> list[dict[str, object]]:
        response = await self.client.get(
            "/api/v1/auth/sessions", headers={"Authorization": f"Bearer {access}"}
        )
        assert response.status_code == 200, response.text
        sessions: list[dict[str, object]] = response.json()["sessions"]
        return sessions


@pytest.fixture
async def world(settings: AuthSettings, redis_url: str) -> AsyncIterator[World]:
    acme, kakao, users = FakeOAuthProvider("oidc"), FakeOAuthProvider("kakao"), FakeUsersApi()
    async with serve_all(acme.app(), kakao.app(), users.app()) as (acme_url, kakao_url, users_url):
        acme.base_url, kakao.base_url = acme_url, kakao_url
        client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
        oauth = OAuthSettings.model_validate(
            {
                "oidc": {"acme": {**client, "issuer": acme_url}},
                "kakao": {
                    **client,
                    "issuer": kakao_url,
                    "authorization_url": f"{kakao_url}/authorize",
                    "token_url": f"{kakao_url}/token",
                    "userinfo_url": f"{kakao_url}/v2/user/me",
                    "jwks_url": f"{kakao_url}/jwks",
                },
                "callback_base_url": AUTH,
                "frontend_origin": FRONTEND,
                "users": {"url": users_url, "token": TOKEN, "backoff_seconds": 0},
            }
        )
        app: FastAPI = create_app(settings.model_copy(update={"oauth": oauth}))
        redis = Redis.from_url(redis_url)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=AUTH) as http,
            httpx.AsyncClient() as browser,
        ):
            yield World(
                http,
                browser,
                acme,
                kakao,
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


def link_result(response: httpx.Response) -> dict[str, list[str]]:
    """The query of the redirect to the frontend's link page; no cookie was set."""
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{FRONTEND}/account"
    assert "set-cookie" not in response.headers
    return parse_qs(location.query)


async def test_a_signed_in_user_links_a_second_provider_and_keeps_one_session(
    world: World, database_url: str
) -> None:
    access = await world.login()
    [session] = await world.sessions(access)
    [(acme_key, user_id)] = list(world.users.by_identity.items())
    assert acme_key == ("acme", "24680")

    started = await world.start_link(access)
    query = parse_qs(urlsplit(started.json()["authorization_url"]).query)
    assert query["code_challenge_method"] == ["S256"]
    done = await world.finish(await world.redirect_back(started, "kakao"), access)
    assert link_result(done) == {"linked": ["kakao"]}

    assert world.users.by_identity == {("acme", "24680"): user_id, ("kakao", "24680"): user_id}
    assert [s["session_id"] for s in await world.sessions(access)] == [session["session_id"]]
    assert world.users.logins == [(user_id, "acme")]  # the link recorded no login
    assert await audits(database_url, world.agent) == [
        ("success", None, "acme", uuid.UUID(user_id)),
        ("link", None, "kakao", uuid.UUID(user_id)),
    ]
    metrics = (await world.client.get("/metrics")).text
    assert 'auth_account_links_total{provider="kakao",result="linked"}' in metrics


async def test_a_session_that_signed_in_long_ago_must_sign_in_again(world: World) -> None:
    access = await world.login()
    [session] = await world.sessions(access)
    [user_id] = world.users.by_identity.values()
    key = RedisKeys(world.prefix).session(user_id, str(session["session_id"]))
    eleven_minutes_ago_ms = int((time.time() - 660) * 1000)
    # redis-py types hset for its sync and async clients at once (Awaitable[int] | int).
    await world.redis.hset(key, "created_at", str(eleven_minutes_ago_ms))  # type: ignore[misc]
    response = await world.start_link(access)
    assert (response.status_code, response.json()["code"]) == (401, "REAUTHENTICATION_REQUIRED")
    assert response.headers["www-authenticate"] == "Bearer"
    assert len(world.users.by_identity) == 1


async def test_linking_needs_a_valid_access_token(world: World) -> None:
    no_token = await world.client.get("/api/v1/auth/kakao/authorize", params={"intent": "link"})
    assert (no_token.status_code, no_token.json()["code"]) == (401, "TOKEN_MISSING")
    access = await world.login()
    await world.client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {access}"})
    revoked = await world.start_link(access)
    assert (revoked.status_code, revoked.json()["code"]) == (401, "TOKEN_REVOKED")
    other = await world.client.get("/api/v1/auth/kakao/authorize", params={"intent": "merge"})
    assert (other.status_code, other.json()["code"]) == (422, "REQUEST_INVALID")


async def test_an_identity_of_another_user_is_refused_and_audited(
    world: World, database_url: str
) -> None:
    owner = str(uuid.uuid4())
    world.users.users[owner] = {"user_id": owner}
    world.users.by_identity[("kakao", "24680")] = owner
    access = await world.login()
    done = await world.finish(
        await world.redirect_back(await world.start_link(access), "kakao"), access
    )
    assert link_result(done) == {"error": ["account_already_linked"]}
    assert world.users.by_identity[("kakao", "24680")] == owner
    assert len(await world.sessions(access)) == 1
    assert [row[:3] for row in await audits(database_url, world.agent)] == [
        ("success", None, "acme"),
        ("link_failure", "account_already_linked", "kakao"),
    ]


async def test_a_link_callback_without_the_session_cookie_links_nothing(world: World) -> None:
    access = await world.login()
    path = await world.redirect_back(await world.start_link(access), "kakao")
    done = await world.finish(path, access=None)
    assert link_result(done) == {"error": ["link_session_mismatch"]}
    assert ("kakao", "24680") not in world.users.by_identity
    assert world.kakao.token_requests == []  # the code was never exchanged


async def test_users_down_during_the_link_is_users_unavailable(world: World) -> None:
    access = await world.login()
    path = await world.redirect_back(await world.start_link(access), "kakao")
    world.users.fail_with = [503, 503, 503]
    done = await world.finish(path, access)
    assert link_result(done) == {"error": ["users_unavailable"]}
    assert ("kakao", "24680") not in world.users.by_identity
