"""Sign in with Apple (a form POSTed to the callback) and Naver (OpenID Connect) over
auth's routes, with the providers and the users API as local servers: what the browser
gets, what users is asked, what is audited, and that a failure leaves nothing behind."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from auth.setup.app import create_app
from auth.setup.oauth_settings import OAuthSettings
from auth.setup.settings import AuthSettings
from auth_tests.integration.fakes.apple_provider import FakeApple, posted_form
from auth_tests.integration.fakes.local_server import serve_all
from auth_tests.integration.fakes.oauth_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    FakeOAuthProvider,
)
from auth_tests.integration.fakes.users_api import TOKEN, FakeUsersApi
from auth_tests.integration.proxied_auth import audit_rows

AUTH = "http://auth.test"
FRONTEND = "http://localhost:3000"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class World:
    client: httpx.AsyncClient  # to auth, in process
    browser: httpx.AsyncClient  # to the providers, over HTTP
    apple: FakeApple
    acme: FakeOAuthProvider
    naver: FakeOAuthProvider
    users: FakeUsersApi
    agent: str

    async def authorization_url(self, provider: str) -> str:
        started = await self.client.get(f"/api/v1/auth/{provider}/authorize")
        assert started.status_code == 200, started.text
        url: str = started.json()["authorization_url"]
        return url

    async def apple_form(self) -> tuple[str, dict[str, str]]:
        """Authorize with Apple; the callback path and the fields its page posts there."""
        page = await self.browser.get(await self.authorization_url("apple"))
        assert page.status_code == 200, page.text
        action, fields = posted_form(page.text)
        assert action == f"{AUTH}/api/v1/auth/apple/callback"
        return action.removeprefix(AUTH), fields

    async def post(self, path: str, fields: dict[str, str]) -> httpx.Response:
        return await self.client.post(
            path, content=urlencode(fields), headers={**FORM, "User-Agent": self.agent}
        )

    async def get(self, path: str) -> httpx.Response:
        return await self.client.get(path, headers={"User-Agent": self.agent})

    async def redirect_back(self, provider: str) -> str:
        """Authorize with a redirecting provider; the callback path and query it sends."""
        approved = await self.browser.get(await self.authorization_url(provider))
        assert approved.status_code == 302
        return str(approved.headers["location"]).removeprefix(AUTH)

    async def sessions(self, response: httpx.Response) -> list[dict[str, Any]]:
        access = cookies(response)["s_access"].value
        listed = await self.client.get(
            "/api/v1/auth/sessions", headers={"Authorization": f"Bearer {access}"}
        )
        assert listed.status_code == 200, listed.text
        sessions: list[dict[str, Any]] = listed.json()["sessions"]
        return sessions


def cookies(response: httpx.Response) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return jar


def error_of(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{FRONTEND}/login/error"
    assert "set-cookie" not in response.headers
    return parse_qs(location.query)["error"][0]


@asynccontextmanager
async def running_world(settings: AuthSettings, **apple_settings: str) -> AsyncIterator[World]:
    """auth with Apple, a generic OIDC provider (`acme`) and Naver (OIDC) configured,
    each a local server, and the users API; ``apple_settings`` override Apple's."""
    apple, users = FakeApple(), FakeUsersApi()
    acme, naver = FakeOAuthProvider("oidc"), FakeOAuthProvider("naver_oidc")
    async with serve_all(apple.app(), acme.app(), naver.app(), users.app()) as (
        apple_url,
        acme_url,
        naver_url,
        users_url,
    ):
        apple.base_url, acme.base_url, naver.base_url = apple_url, acme_url, naver_url
        client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
        oauth = OAuthSettings.model_validate(
            {
                "apple": {**apple.settings(), **apple_settings},
                "oidc": {"acme": {**client, "issuer": acme_url}},
                "naver": {**client, "issuer": naver_url},
                "callback_base_url": AUTH,
                "frontend_origin": FRONTEND,
                "users": {"url": users_url, "token": TOKEN, "backoff_seconds": 0},
            }
        )
        app: FastAPI = create_app(settings.model_copy(update={"oauth": oauth}))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=AUTH) as http,
            httpx.AsyncClient() as browser,
        ):
            agent = f"agent-{uuid.uuid4().hex}"
            yield World(http, browser, apple, acme, naver, users, agent)


@pytest.fixture
async def world(settings: AuthSettings) -> AsyncIterator[World]:
    async with running_world(settings) as running:
        yield running


async def test_sign_in_with_apple_posts_the_form_and_lands_like_a_redirect_login(
    world: World, database_url: str
) -> None:
    path, fields = await world.apple_form()
    assert set(fields) == {"state", "code", "id_token", "user"}
    response = await world.post(path, fields)
    # A 303 (the browser follows a POST's redirect with a GET) to the same success page,
    # with the same cookies as the GET callback sets.
    assert response.status_code == 303
    assert response.headers["location"] == f"{FRONTEND}/login/success"
    assert response.headers["cache-control"] == "no-store"
    jar = cookies(response)
    for name in ("s_access", "s_refresh"):
        assert jar[name]["httponly"] is True
        assert (jar[name]["samesite"], jar[name]["path"]) == ("lax", "/")
        assert int(jar[name]["max-age"]) > 0
    [session] = await world.sessions(response)
    assert (session["provider"], session["user_agent"]) == ("apple", world.agent)
    [identity] = world.users.identity_requests
    assert identity == {
        "provider": "apple",
        "provider_user_id": world.apple.subject,
        "email": "x7k2p9q4mz@privaterelay.appleid.com",  # a private relay address, accepted
        "email_verified": True,  # Apple's "true"
        "nickname": "Eco Kim",  # from the `user` field
        "profile_image_url": None,
    }
    [row] = await audit_rows(database_url, world.agent)
    assert row[:2] == ("success", None)


async def test_the_apple_name_is_only_taken_from_the_first_authorization(world: World) -> None:
    for _ in range(2):
        path, fields = await world.apple_form()
        response = await world.post(path, fields)
        assert response.headers["location"] == f"{FRONTEND}/login/success"
    first, second = world.users.identity_requests
    assert first["nickname"] == "Eco Kim"
    assert second["nickname"] is None  # Apple posted no `user` this time
    [user] = world.users.users.values()  # one account, its name from the first login
    assert user["nickname"] == "Eco Kim"


async def test_a_posted_callback_for_a_redirecting_provider_is_refused_and_spends_nothing(
    world: World, database_url: str
) -> None:
    callback = await world.redirect_back("acme")
    path, query = callback.split("?", 1)
    fields = {name: values[0] for name, values in parse_qs(query).items()}
    refused = await world.post(path, fields)
    assert error_of(refused, 303) == "response_mode_mismatch"
    assert world.acme.token_requests == []
    # The state was left unused: the genuine redirect still logs in.
    genuine = await world.get(callback)
    assert genuine.headers["location"] == f"{FRONTEND}/login/success"
    assert [row[:2] for row in await audit_rows(database_url, world.agent)] == [
        ("failure", "response_mode_mismatch"),
        ("success", None),
    ]


async def test_apples_answer_in_a_query_string_is_refused(world: World) -> None:
    path, fields = await world.apple_form()
    refused = await world.get(f"{path}?{urlencode(fields)}")
    assert error_of(refused, 302) == "response_mode_mismatch"
    assert world.apple.token_requests == []
    posted = await world.post(path, fields)
    assert posted.headers["location"] == f"{FRONTEND}/login/success"


@pytest.mark.parametrize("status", [500, 503])
async def test_apples_token_endpoint_failing_is_provider_error_and_creates_nobody(
    world: World, database_url: str, status: int
) -> None:
    world.apple.token_status = status
    path, fields = await world.apple_form()
    assert error_of(await world.post(path, fields), 303) == "provider_error"
    assert world.users.requests == []
    assert [row[:3] for row in await audit_rows(database_url, world.agent)] == [
        ("failure", "provider_error", None)
    ]


@pytest.mark.parametrize(
    ("knob", "code"),
    [
        ({"sign_with_foreign_key": True}, "id_token_invalid"),
        ({"claims_override": {"nonce": "another-login"}}, "nonce_mismatch"),
        ({"claims_override": {"aud": "com.someone.else"}}, "id_token_invalid"),
        ({"claims_override": {"exp": 1_000_000_000}}, "id_token_invalid"),
    ],
    ids=["bad-signature", "wrong-nonce", "wrong-aud", "expired"],
)
async def test_a_bad_apple_id_token_is_refused_and_creates_nobody(
    world: World, database_url: str, knob: dict[str, Any], code: str
) -> None:
    path, fields = await world.apple_form()
    for name, value in knob.items():
        setattr(world.apple, name, value)
    assert error_of(await world.post(path, fields), 303) == code
    assert world.users.requests == []
    assert [row[:2] for row in await audit_rows(database_url, world.agent)] == [("failure", code)]


async def test_apples_token_endpoint_down_is_provider_error_and_creates_nobody(
    settings: AuthSettings, database_url: str
) -> None:
    async with running_world(settings, token_url="http://127.0.0.1:9/auth/token") as world:
        path, fields = await world.apple_form()
        assert error_of(await world.post(path, fields), 303) == "provider_error"
        assert world.users.requests == []
    assert [row[:2] for row in await audit_rows(database_url, world.agent)] == [
        ("failure", "provider_error")
    ]


async def test_the_user_cancelling_at_apple_is_access_denied(world: World) -> None:
    path, fields = await world.apple_form()
    cancelled = {"state": fields["state"], "error": "user_cancelled_authorize"}
    assert error_of(await world.post(path, cancelled), 303) == "access_denied"
    assert world.apple.token_requests == []
    assert world.users.requests == []


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        ('{"code": "c", "state": "s"}', {"Content-Type": "application/json"}),
        (urlencode({"state": "s", "user": "x" * 20_000}), FORM),
        ("&".join(f"f{n}=v" for n in range(100)), FORM),
        (b"state=\xff\xfe", FORM),
    ],
    ids=["json", "over-16-KiB", "too-many-fields", "not-utf-8"],
)
async def test_a_body_that_is_not_a_small_form_is_422(
    world: World, content: str | bytes, headers: dict[str, str]
) -> None:
    response = await world.client.post(
        "/api/v1/auth/apple/callback", content=content, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == "REQUEST_INVALID"
    assert world.apple.token_requests == []


async def test_naver_logs_in_through_its_openid_connect_endpoints(
    world: World, database_url: str
) -> None:
    callback = await world.redirect_back("naver")
    response = await world.get(callback)
    assert response.status_code == 302
    assert response.headers["location"] == f"{FRONTEND}/login/success"
    [grant] = world.naver.token_requests
    assert {"code_verifier", "state", "client_secret"} <= grant["form"].keys()
    [identity] = world.users.identity_requests
    assert (identity["provider"], identity["provider_user_id"]) == ("naver", "naver-24680")
    # Naver says nothing about verification: its e-mail is passed on as unverified.
    assert (identity["email"], identity["email_verified"]) == ("eco@example.com", False)
    [session] = await world.sessions(response)
    assert session["provider"] == "naver"
    [row] = await audit_rows(database_url, world.agent)
    assert row[:2] == ("success", None)


async def test_naver_with_a_bad_id_token_is_refused_and_creates_nobody(
    world: World, database_url: str
) -> None:
    world.naver.sign_with_foreign_key = True
    response = await world.get(await world.redirect_back("naver"))
    assert error_of(response, 302) == "id_token_invalid"
    assert world.users.requests == []
    assert [row[:2] for row in await audit_rows(database_url, world.agent)] == [
        ("failure", "id_token_invalid")
    ]
