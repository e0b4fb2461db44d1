"""auth over HTTP with its Redis and PostgreSQL behind cuttable proxies, and an
OAuth provider to log in with.

The provider and the users API are local servers (fakes); auth runs in process.
Cutting a proxy plays that dependency going down; starting it again, coming back.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url
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
from testkit.tcp_proxy import TcpProxy

AUTH = "http://auth.test"
FRONTEND = "http://localhost:3000"
PROVIDER = "acme"


@dataclass
class ProxiedAuth:
    app: FastAPI
    client: httpx.AsyncClient  # to auth, in process (peer 127.0.0.1)
    browser: httpx.AsyncClient  # to the provider, over HTTP
    redis: TcpProxy
    postgres: TcpProxy
    agent: str  # the User-Agent of this test's callbacks: finds its audit rows

    async def authorize(self) -> httpx.Response:
        return await self.client.get(f"/api/v1/auth/{PROVIDER}/authorize")

    async def provider_redirect(self) -> str:
        """Authorize, let the provider approve, return the callback path it sends back."""
        started = await self.authorize()
        assert started.status_code == 200, started.text
        approved = await self.browser.get(started.json()["authorization_url"])
        assert approved.status_code == 302
        return approved.headers["location"].removeprefix(AUTH)

    async def callback(self, path: str, **headers: str) -> httpx.Response:
        return await self.client.get(path, headers={"User-Agent": self.agent, **headers})


def error_of(response: httpx.Response) -> str:
    """The `error` of a redirect to the frontend's error page (asserting it is one)."""
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{FRONTEND}/login/error"
    assert "set-cookie" not in response.headers
    return parse_qs(location.query)["error"][0]


async def audit_rows(database_url: str, agent: str) -> list[tuple[object, ...]]:
    """(result, reason, user_id, client_ip) of the rows written for ``agent``, oldest first."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT result, reason, user_id, client_ip FROM auth.login_audit"
                    " WHERE user_agent = :agent ORDER BY occurred_at, id"
                ),
                {"agent": agent},
            )
            return [tuple(row) for row in rows]
    finally:
        await engine.dispose()


@contextmanager
def logged_audits(caplog: pytest.LogCaptureFixture) -> Iterator[list[dict[str, str | None]]]:
    """The audit rows written to the log while inside (the app's logging setup replaced
    the root handlers, caplog's among them: it is put back for this block)."""
    logger = logging.getLogger()
    logger.addHandler(caplog.handler)
    rows: list[dict[str, str | None]] = []
    try:
        yield rows
    finally:
        logger.removeHandler(caplog.handler)
        rows.extend(
            r.__dict__["login_audit"] for r in caplog.records if "login_audit" in r.__dict__
        )


@asynccontextmanager
async def proxied_auth(
    settings: AuthSettings, *, trusted_proxies: list[str]
) -> AsyncIterator[ProxiedAuth]:
    redis_url = make_url(settings.redis_url.get_secret_value())
    database_url = make_url(settings.database_url.get_secret_value())
    redis = TcpProxy(redis_url.host or "127.0.0.1", redis_url.port or 6379)
    postgres = TcpProxy(database_url.host or "127.0.0.1", database_url.port or 5432)
    await redis.start()
    await postgres.start()
    acme, users = FakeOAuthProvider("oidc"), FakeUsersApi()
    try:
        async with serve_all(acme.app(), users.app()) as (acme_url, users_url):
            acme.base_url = acme_url
            oauth = OAuthSettings.model_validate(
                {
                    "oidc": {
                        PROVIDER: {
                            "client_id": CLIENT_ID,
                            "client_secret": CLIENT_SECRET,
                            "issuer": acme_url,
                        }
                    },
                    "callback_base_url": AUTH,
                    "frontend_origin": FRONTEND,
                    "trusted_proxies": trusted_proxies,
                    "users": {"url": users_url, "token": TOKEN, "backoff_seconds": 0},
                }
            )
            proxied = settings.model_copy(
                update={
                    "oauth": oauth,
                    "redis_url": SecretStr(
                        redis_url.set(host="127.0.0.1", port=redis.port).render_as_string(
                            hide_password=False
                        )
                    ),
                    "database_url": SecretStr(
                        database_url.set(host="127.0.0.1", port=postgres.port).render_as_string(
                            hide_password=False
                        )
                    ),
                }
            )
            app = create_app(proxied)
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                    base_url=AUTH,
                ) as http,
                httpx.AsyncClient() as browser,
            ):
                yield ProxiedAuth(
                    app, http, browser, redis, postgres, agent=f"agent-{uuid.uuid4().hex}"
                )
    finally:
        await redis.stop()
        await postgres.stop()
