"""authorize and callback over HTTP, with the provider and the users API as local servers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

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
    client: httpx.AsyncClient  # to auth, in process
    browser: httpx.AsyncClient  # to the provider, over HTTP
    acme: FakeOAuthProvider
    kakao: FakeOAuthProvider
    users: FakeUsersApi
    agent: str

    async def authorize(self, provider: str = "acme", **params: str) -> httpx.Response:
        return await self.client.get(f"/api/v1/auth/{provider}/authorize", params=params)

    async def provider_redirect(self, provider: str = "acme", **params: str) -> str:
        """Authorize, let the provider approve, return the callback URL it sends back."""
        started = await self.authorize(provider, **params)
        assert started.status_code == 200, started.text
        approved = await self.browser.get(started.json()["authorization_url"])
        assert approved.status_code == 302
        location = approved.headers["location"]
        assert location.startswith(f"{AUTH}/api/v1/auth/{provider}/callback?")
        return location.removeprefix(AUTH)

    async def callback(self, path: str, **headers: str) -> httpx.Response:
        return await self.client.get(path, headers={"User-Agent": self.agent, **headers})

    async def login(self) -> str:
        """A full successful login; returns the access token from the cookie."""
        response = await self.callback(await self.provider_redirect())
        assert response.headers["location"] == f"{FRONTEND}/login/success"
        return cookies(response)["s_access"].value

    async def sessions(self, access_token: str) -> list[dict[str, object]]:
        response = await self.client.get(
            "/api/v1/auth/sessions", headers={"Authorization": f"Bearer {access_token}"}
        )
        assert response.status_code == 200, response.text
        sessions: list[dict[str, object]] = response.json()["sessions"]
        return sessions


def cookies(response: httpx.Response) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return jar


def error_of(response: httpx.Response) -> str:
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{FRONTEND}/login/error"
    assert "set-cookie" not in response.headers
    return parse_qs(location.query)["error"][0]


@pytest.fixture
async def world(settings: AuthSettings) -> AsyncIterator[World]:
    acme, kakao, users = FakeOAuthProvider("oidc"), FakeOAuthProvider("kakao"), FakeUsersApi()
    async with serve_all(acme.app(), kakao.app(), users.app()) as (acme_url, kakao_url, users_url):
        acme.base_url, kakao.base_url = acme_url, kakao_url
        client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
        oauth = OAuthSettings.model_validate(
            {
                "oidc": {"acme": {**client, "issuer": acme_url}},
                "display_names": {"acme": "Acme ID"},
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
                "allowed_frontend_origins": ["https://admin.eco2.test"],
                "trusted_proxies": ["127.0.0.0/8"],
                "users": {"url": users_url, "token": TOKEN, "backoff_seconds": 0},
            }
        )
        app: FastAPI = create_app(settings.model_copy(update={"oauth": oauth}))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=AUTH) as http,
            httpx.AsyncClient() as browser,
        ):
            yield World(http, browser, acme, kakao, users, agent=f"agent-{uuid.uuid4().hex}")


async def audits(database_url: str, agent: str) -> list[tuple[object, ...]]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT result, reason, provider, user_id, session_id, access_jti, client_ip "
                    "FROM auth.login_audit WHERE user_agent = :agent ORDER BY occurred_at, id"
                ),
                {"agent": agent},
            )
            return [tuple(row) for row in rows]
    finally:
        await engine.dispose()


async def test_providers_lists_the_configured_ones_each_with_a_working_authorize_url(
    world: World,
) -> None:
    response = await world.client.get("/api/v1/auth/providers")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=60"
    # Built-in first, then generic OIDC; Google and Naver exist but have no credentials.
    assert [tuple(p.values()) for p in response.json()["providers"]] == [
        ("kakao", "Kakao", "/api/v1/auth/kakao/authorize"),
        ("acme", "Acme ID", "/api/v1/auth/acme/authorize"),
    ]
    assert list(response.json()["providers"][0]) == ["name", "display_name", "authorize_url"]
    for provider in response.json()["providers"]:
        started = await world.client.get(provider["authorize_url"])
        assert started.status_code == 200, started.text
        assert started.json()["authorization_url"].startswith(
            getattr(world, provider["name"]).base_url
        )


async def test_authorize_answers_url_state_and_expiry(world: World) -> None:
    response = await world.authorize("acme", device_id="phone-1")
    assert response.status_code == 200
    body = response.json()
    query = parse_qs(urlsplit(body["authorization_url"]).query)
    assert query["state"] == [body["state"]]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["nonce"][0]) >= 32
    assert query["redirect_uri"] == [f"{AUTH}/api/v1/auth/acme/callback"]
    assert body["expires_at"].endswith("Z") or "+00:00" in body["expires_at"]


async def test_full_login_sets_cookies_registers_the_session_and_audits(
    world: World, database_url: str
) -> None:
    path = await world.provider_redirect("acme", device_id="phone-1")
    response = await world.callback(path, **{"X-Forwarded-For": "203.0.113.9, 198.51.100.20"})
    assert response.status_code == 302
    assert response.headers["location"] == f"{FRONTEND}/login/success"
    jar = cookies(response)
    assert jar["s_access"]["httponly"] is True
    assert jar["s_refresh"]["samesite"] == "lax"
    [session] = await world.sessions(jar["s_access"].value)
    assert (session["provider"], session["device_id"], session["user_agent"]) == (
        "acme",
        "phone-1",
        world.agent,
    )
    [(user_id, _)] = [(u, k) for k, u in world.users.by_identity.items()]
    assert world.users.logins == [(user_id, "acme")]
    [row] = await audits(database_url, world.agent)
    assert row[:3] == ("success", None, "acme")
    assert str(row[3]) == user_id
    assert row[4] == session["session_id"]
    # 127.0.0.1 (the test client) and nothing else is trusted: the right-most other hop wins.
    assert row[6] == "198.51.100.20"


async def test_replaying_a_callback_url_fails_and_creates_no_session(
    world: World, database_url: str
) -> None:
    path = await world.provider_redirect()
    first = await world.callback(path)
    access = cookies(first)["s_access"].value
    replay = await world.callback(path)
    assert error_of(replay) == "invalid_state"
    assert len(await world.sessions(access)) == 1
    assert [r[:2] for r in await audits(database_url, world.agent)] == [
        ("success", None),
        ("failure", "invalid_state"),
    ]


async def test_a_state_from_another_provider_is_provider_mismatch(world: World) -> None:
    access = await world.login()
    kakao_path = await world.provider_redirect("kakao")
    forged = kakao_path.replace("/kakao/callback", "/acme/callback")
    assert error_of(await world.callback(forged)) == "provider_mismatch"
    # The state is used up: the genuine kakao callback no longer works either.
    assert error_of(await world.callback(kakao_path)) == "invalid_state"
    assert len(await world.sessions(access)) == 1


async def test_a_tampered_id_token_is_id_token_invalid_and_creates_no_session(
    world: World,
) -> None:
    access = await world.login()
    world.acme.tamper_id_token = True
    assert error_of(await world.callback(await world.provider_redirect())) == "id_token_invalid"
    assert len(await world.sessions(access)) == 1


async def test_a_wrong_nonce_is_nonce_mismatch_and_creates_no_session(world: World) -> None:
    access = await world.login()
    world.acme.claims_override = {"nonce": "replayed-from-elsewhere"}
    assert error_of(await world.callback(await world.provider_redirect())) == "nonce_mismatch"
    assert len(await world.sessions(access)) == 1


async def test_a_foreign_frontend_origin_is_refused_before_anything_is_stored(
    world: World,
) -> None:
    response = await world.authorize("acme", frontend_origin="https://evil.example")
    assert response.status_code == 400
    assert response.json()["code"] == "FRONTEND_ORIGIN_NOT_ALLOWED"
    other = await world.authorize("acme", redirect_uri="https://evil.example/cb")
    assert (other.status_code, other.json()["code"]) == (400, "REDIRECT_URI_NOT_ALLOWED")


async def test_an_allow_listed_frontend_origin_gets_the_redirect(world: World) -> None:
    path = await world.provider_redirect("acme", frontend_origin="https://admin.eco2.test")
    response = await world.callback(path)
    assert response.headers["location"] == "https://admin.eco2.test/login/success"


async def test_unknown_and_unconfigured_providers_are_404_with_codes(world: World) -> None:
    unknown = await world.authorize("myspace")
    unconfigured = await world.authorize("google")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "PROVIDER_NOT_FOUND")
    assert (unconfigured.status_code, unconfigured.json()["code"]) == (
        404,
        "PROVIDER_NOT_CONFIGURED",
    )


async def test_access_denied_at_the_provider_is_reported(world: World) -> None:
    started = (await world.authorize("acme")).json()
    response = await world.callback(
        f"/api/v1/auth/acme/callback?state={started['state']}&error=access_denied"
    )
    assert error_of(response) == "access_denied"


async def test_users_service_down_is_users_unavailable_and_creates_no_session(
    world: World, database_url: str
) -> None:
    access = await world.login()
    world.users.fail_with = [503, 503, 503]
    assert error_of(await world.callback(await world.provider_redirect())) == "users_unavailable"
    assert len(await world.sessions(access)) == 1
    assert (await audits(database_url, world.agent))[-1][:2] == ("failure", "users_unavailable")


@pytest.mark.parametrize("unsafe", ["\x00", chr(0xD800)], ids=["nul", "lone-surrogate"])
async def test_logins_with_unsafe_profile_text_succeed_normalised(
    world: World, database_url: str, unsafe: str
) -> None:
    world.acme.claims_override = {"name": f"Eco{unsafe}Tester"}
    for _ in range(5):
        await world.login()
    world.acme.claims_override = {}
    await world.login()
    assert [user["nickname"] for user in world.users.users.values()] == ["EcoTester"]
    assert [row[:2] for row in await audits(database_url, world.agent)] == [("success", None)] * 6


async def test_five_logins_users_answers_500_to_are_rejected_and_the_sixth_succeeds(
    world: World, database_url: str
) -> None:
    world.users.fail_with = [500] * 5
    for _ in range(5):
        assert error_of(await world.callback(await world.provider_redirect())) == "users_rejected"
    assert world.users.requests.count(("POST", "/internal/v1/identities")) == 5
    await world.login()
    rows = [row[:2] for row in await audits(database_url, world.agent)]
    assert rows == [("failure", "users_rejected")] * 5 + [("success", None)]


async def test_kakao_login_end_to_end_over_the_routes(world: World) -> None:
    response = await world.callback(await world.provider_redirect("kakao"))
    assert response.headers["location"] == f"{FRONTEND}/login/success"
    assert ("kakao", "24680") in world.users.by_identity


async def test_authorize_with_the_provider_down_is_503_provider_error(
    settings: AuthSettings,
) -> None:
    oauth = OAuthSettings.model_validate(
        {"oidc": {"down": {"client_id": "c", "client_secret": "s", "issuer": "http://127.0.0.1:9"}}}
    )
    app = create_app(settings.model_copy(update={"oauth": oauth}))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=AUTH) as http,
    ):
        response = await http.get("/api/v1/auth/down/authorize")
    assert (response.status_code, response.json()["code"]) == (503, "PROVIDER_ERROR")


async def test_two_racing_callbacks_with_one_state_make_one_login(world: World) -> None:
    path = await world.provider_redirect()
    first, second = await asyncio.gather(world.callback(path), world.callback(path))
    locations = sorted(r.headers["location"] for r in (first, second))
    assert locations == [
        f"{FRONTEND}/login/error?error=invalid_state",
        f"{FRONTEND}/login/success",
    ]
    winner = first if "success" in first.headers["location"] else second
    assert len(await world.sessions(cookies(winner)["s_access"].value)) == 1


async def test_a_sign_in_of_an_account_pending_deletion_gets_a_restore_ticket_cookie(
    world: World,
) -> None:
    access = await world.login()
    [user_id] = list(world.users.users)
    world.users.refusals[user_id] = {
        "code": "ACCOUNT_PENDING_DELETION",
        "detail": "scheduled",
        "user_id": user_id,
        "purge_after": "2026-12-29T12:00:00+00:00",
    }

    response = await world.callback(await world.provider_redirect())

    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert parse_qs(location.query) == {
        "error": ["account_pending_deletion"],
        "purge_after": ["2026-12-29T12:00:00+00:00"],
    }
    jar = cookies(response)
    assert set(jar) == {"s_restore"}  # no session, no token
    restore = jar["s_restore"]
    assert restore["path"] == "/api/v1/users/me/restore"
    assert restore["samesite"].lower() == "strict"
    assert restore["httponly"] is True
    assert 0 < int(restore["max-age"]) <= 600
    header = jwt.get_unverified_header(restore.value)
    claims = jwt.decode(restore.value, options={"verify_signature": False})
    assert header["typ"] == "restore+jwt"
    assert (claims["sub"], claims["token_type"]) == (user_id, "restore")
    assert claims["exp"] - claims["iat"] == 600
    # The ticket is no token of auth's: validate and refresh refuse it.
    validate = await world.client.get(
        "/api/v1/auth/validate", headers={"Authorization": f"Bearer {restore.value}"}
    )
    assert validate.status_code == 401
    assert len(await world.sessions(access)) == 1  # the earlier session only


async def test_a_sign_in_of_a_disabled_account_is_account_disabled_without_cookies(
    world: World,
) -> None:
    await world.login()
    [user_id] = list(world.users.users)
    world.users.refusals[user_id] = {"code": "ACCOUNT_DISABLED", "detail": "disabled"}
    response = await world.callback(await world.provider_redirect())
    assert error_of(response) == "account_disabled"
