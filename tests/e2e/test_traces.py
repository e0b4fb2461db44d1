"""One login is one trace across auth and users; an event's trace goes on through the
outbox, the relay and the stream to auth's consumer; `/validate` decisions are spans.

Both apps run in this process with tracing installed once, its spans going to the
SDK's in-memory exporter (through the same filter as in production). users is served
by uvicorn on a loopback port and auth reaches it with its own httpx client, so the
`traceparent` travels as an HTTP header; the OAuth provider is a local fake over HTTP
too. Spans of both services share one provider (one process): they are told apart
by their routes and instrumentation scopes, and linked by trace and parent ids.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from pydantic import SecretStr
from redis.asyncio import Redis

from auth.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION as AUTH_MIGRATIONS
from auth.infrastructure.persistence_postgres.registry import SCHEMA as AUTH_SCHEMA
from auth.setup.app import create_app as create_auth
from auth.setup.oauth_settings import OAuthSettings
from auth.setup.rate_limit_settings import AuthRateLimitSettings
from auth.setup.relay_settings import RelaySettings
from auth.setup.settings import AuthSettings
from auth.workers.consumers.blacklist_relay import build_relay as build_auth_relay
from auth_tests.integration.fakes.local_server import serve
from auth_tests.integration.fakes.oauth_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    FakeOAuthProvider,
)
from servicekit.migrations import upgrade
from servicekit.tracing import install_tracing
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
from users.workers.outbox_relay import build_relay as build_users_relay
from users_tests.factories import public_pem

__all__ = ["postgres_admin_url", "redis_prefix", "redis_target", "redis_url", "single_redis_url"]

SPANS = InMemorySpanExporter()
install_tracing("eco2-test", SimpleSpanProcessor(SPANS))

AUTH = "http://auth.test"
FRONTEND = "http://localhost:3000"
SERVICE_TOKEN = "traces-service-token-0123456789abcdef"
ADMIN_TOKEN = "traces-admin-token-0123456789abcdef0123"
CALLBACK_ROUTE = "/api/v1/auth/{provider}/callback"
IDENTITIES_ROUTE = "/internal/v1/identities"
DISABLE_ROUTE = "/internal/v1/admin/users/{user_id}/disable"
VALIDATE = "/api/v1/auth/validate"
ASYNCPG = "opentelemetry.instrumentation.asyncpg"
REDIS = "opentelemetry.instrumentation.redis"


def _migrate(url: str) -> None:
    upgrade(AUTH_MIGRATIONS, url, AUTH_SCHEMA)
    upgrade(USERS_MIGRATIONS, url, USERS_SCHEMA)


database_url = database_fixture("traces", _migrate)


@dataclass
class Stack:
    auth: httpx.AsyncClient  # to auth, in process
    users: httpx.AsyncClient  # to users, in process (the test's own calls: no client span)
    browser: httpx.AsyncClient
    auth_app: FastAPI
    users_app: FastAPI
    auth_settings: AuthSettings
    users_settings: UsersSettings

    async def login(self) -> str:
        """A whole sign-in with the fake provider; returns the access token."""
        started = await self.auth.get("/api/v1/auth/acme/authorize")
        assert started.status_code == 200, started.text
        approved = await self.browser.get(started.json()["authorization_url"])
        assert approved.status_code == 302
        callback = await self.auth.get(approved.headers["location"].removeprefix(AUTH))
        assert callback.headers["location"] == f"{FRONTEND}/login/success"
        jar: SimpleCookie = SimpleCookie()
        for header in callback.headers.get_list("set-cookie"):
            jar.load(header)
        return jar["s_access"].value


@pytest.fixture
async def stack(database_url: str, redis_url: str, redis_prefix: str) -> AsyncIterator[Stack]:
    namespace = f"{redis_prefix}{uuid.uuid4().hex[:8]}:"
    stream = f"{namespace}events:users"
    users_settings = UsersSettings(
        profile="test",
        database_url=SecretStr(database_url),
        redis_url=SecretStr(redis_url),
        redis_key_prefix=f"{namespace}users:",
        internal_api_token=SecretStr(SERVICE_TOKEN),
        admin_credentials={"ops": SecretStr(ADMIN_TOKEN)},
        events_stream=stream,
        access_token=AccessTokenSettings(public_key_pem=public_pem(Ed25519PrivateKey.generate())),
    )
    users_app = create_users(users_settings)
    acme = FakeOAuthProvider("oidc", subject=uuid.uuid4().hex)  # an account per test
    async with (
        users_app.router.lifespan_context(users_app),
        serving(users_app) as users_port,
        serve(acme.app()) as acme_url,
    ):
        acme.base_url = acme_url
        oauth = OAuthSettings.model_validate(
            {
                "oidc": {
                    "acme": {
                        "client_id": CLIENT_ID,
                        "client_secret": CLIENT_SECRET,
                        "issuer": acme_url,
                    }
                },
                "callback_base_url": AUTH,
                "frontend_origin": FRONTEND,
                "users": {
                    "url": f"http://127.0.0.1:{users_port}",
                    "token": SERVICE_TOKEN,
                    "backoff_seconds": 0,
                },
            }
        )
        auth_settings = AuthSettings(
            profile="test",
            database_url=SecretStr(database_url),
            redis_url=SecretStr(redis_url),
            redis_key_prefix=f"{namespace}auth:",
            rate_limits=AuthRateLimitSettings(enabled=False),
            oauth=oauth,
            user_events_stream=stream,
            relay=RelaySettings(consumer="traces", block_seconds=0.05),
        )
        auth_app = create_auth(auth_settings)
        async with (
            auth_app.router.lifespan_context(auth_app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=auth_app), base_url=AUTH) as auth,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=users_app), base_url="http://users.test"
            ) as users,
            httpx.AsyncClient() as browser,
        ):
            SPANS.clear()
            yield Stack(auth, users, browser, auth_app, users_app, auth_settings, users_settings)


def server_span(spans: Sequence[ReadableSpan], route: str) -> ReadableSpan:
    [span] = [
        s
        for s in spans
        if s.kind is SpanKind.SERVER and (s.attributes or {}).get("http.route") == route
    ]
    return span


def descends_from(
    span: ReadableSpan, ancestor: ReadableSpan, spans: Sequence[ReadableSpan]
) -> bool:
    """True when `ancestor` is `span`'s parent, or its parent's, and so on."""
    by_id = {s.context.span_id: s for s in spans}
    parent = span.parent
    while parent is not None:
        if parent.span_id == ancestor.context.span_id:
            return True
        above = by_id.get(parent.span_id)
        parent = above.parent if above is not None else None
    return False


def url_of(span: ReadableSpan) -> str:
    attributes: dict[str, Any] = dict(span.attributes or {})
    return str(attributes.get("url.full") or attributes.get("http.url") or "")


async def test_one_login_is_one_trace_across_auth_and_users(stack: Stack) -> None:
    await stack.login()

    spans = SPANS.get_finished_spans()
    callback = server_span(spans, CALLBACK_ROUTE)
    identities = server_span(spans, IDENTITIES_ROUTE)
    trace = [s for s in spans if s.context.trace_id == callback.context.trace_id]
    [identity_call] = [
        s for s in trace if s.kind is SpanKind.CLIENT and url_of(s).endswith(IDENTITIES_ROUTE)
    ]

    # The authorization code never reaches a span.
    assert (callback.attributes or {})["http.url"] == (
        f"{AUTH}/api/v1/auth/acme/callback?code=REDACTED&state=REDACTED"
    )
    # auth's callback → auth's httpx call → users' handler: one trace, parent to child.
    assert callback.parent is None
    assert descends_from(identity_call, callback, spans)
    assert identities.context.trace_id == callback.context.trace_id
    assert identities.parent is not None
    assert identities.parent.is_remote  # it came over HTTP, in the traceparent header
    assert identities.parent.span_id == identity_call.context.span_id
    # users' statements are children of its handler; auth's Redis calls of the callback.
    assert any(
        s.instrumentation_scope is not None
        and s.instrumentation_scope.name == ASYNCPG
        and descends_from(s, identities, spans)
        for s in trace
    )
    assert any(
        s.instrumentation_scope is not None
        and s.instrumentation_scope.name == REDIS
        and descends_from(s, callback, spans)
        for s in trace
    )


async def test_an_events_trace_goes_on_through_the_relays_to_auths_consumer(
    stack: Stack, redis_url: str
) -> None:
    access = await stack.login()
    user_id = jwt.decode(access, options={"verify_signature": False})["sub"]
    SPANS.clear()

    disabled = await stack.users.post(
        DISABLE_ROUTE.format(user_id=user_id), headers={"X-Admin-Token": ADMIN_TOKEN}
    )
    assert disabled.status_code == 200, disabled.text
    assert (
        await build_users_relay(stack.users_settings, stack.users_app.state.resources).relay_batch()
        == 1
    )
    redis = Redis.from_url(redis_url)
    try:
        [(_, fields)] = await redis.xrange(stack.users_settings.events_stream)
    finally:
        await redis.aclose()
    consumer = build_auth_relay(
        stack.auth_settings, stack.auth_app.state.resources.redis, stack.auth_app.state.tokens
    )
    await consumer.ensure_group()
    assert await consumer.run_once(block=False) == 1

    spans = SPANS.get_finished_spans()
    request = server_span(spans, DISABLE_ROUTE)
    [publish] = [s for s in spans if s.kind is SpanKind.PRODUCER]
    [process] = [s for s in spans if s.kind is SpanKind.CONSUMER]
    assert (publish.name, process.name) == ("publish user.disabled", "process user.disabled")
    # The request that wrote the row → the relay's publish → auth's consumer.
    assert publish.parent is not None
    assert publish.parent.span_id == request.context.span_id
    traceparent = fields[b"traceparent"].decode()
    assert traceparent.split("-")[1:3] == [
        format(publish.context.trace_id, "032x"),
        format(publish.context.span_id, "016x"),
    ]
    assert process.parent is not None
    assert process.parent.span_id == publish.context.span_id
    assert {publish.context.trace_id, process.context.trace_id} == {request.context.trace_id}
    assert (process.attributes or {}).get("messaging.consumer.group.name") == (
        stack.auth_settings.relay.group
    )
    # The revoke-all runs in the consumer's span.
    assert any(
        s.instrumentation_scope is not None
        and s.instrumentation_scope.name == REDIS
        and descends_from(s, process, spans)
        for s in spans
    )


async def test_an_entry_without_a_traceparent_is_applied_in_a_trace_of_its_own(
    stack: Stack,
) -> None:
    """As the entries written before traces were carried."""
    redis = stack.auth_app.state.resources.redis
    await redis.xadd(
        stack.auth_settings.user_events_stream,
        {"type": "user.disabled", "event_id": str(uuid.uuid4()), "user_id": str(uuid.uuid4())},
    )
    consumer = build_auth_relay(stack.auth_settings, redis, stack.auth_app.state.tokens)
    await consumer.ensure_group()
    assert await consumer.run_once(block=False) == 1

    [process] = [s for s in SPANS.get_finished_spans() if s.kind is SpanKind.CONSUMER]
    assert process.parent is None
    assert process.name == "process user.disabled"
    assert process.status.is_ok


async def test_each_validate_decision_is_a_server_span_in_the_gateways_trace(
    stack: Stack,
) -> None:
    access = await stack.login()
    SPANS.clear()
    gateway_trace, gateway_span = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
    allowed = await stack.auth.get(
        f"{VALIDATE}/api/v1/users/me",
        headers={
            "Authorization": f"Bearer {access}",
            "traceparent": f"00-{gateway_trace}-{gateway_span}-01",
        },
    )
    stack.auth.cookies.clear()  # no token at all: the sign-in's cookies go
    denied = await stack.auth.get(
        VALIDATE, headers={"X-Original-Method": "GET", "X-Original-URI": "/api/v1/users/me"}
    )
    assert (allowed.status_code, denied.status_code) == (200, 401)

    allow, deny = SPANS.get_finished_spans()
    assert (allow.kind, allow.name) == (SpanKind.SERVER, f"GET {VALIDATE}")
    assert format(allow.context.trace_id, "032x") == gateway_trace
    assert allow.parent is not None
    assert format(allow.parent.span_id, "016x") == gateway_span
    assert dict(allow.attributes or {}) == {
        "http.request.method": "GET",
        "url.path": f"{VALIDATE}/api/v1/users/me",
        "http.route": VALIDATE,
        "http.response.status_code": 200,
        "auth.validate.dialect": "envoy",
        "auth.validate.result": "allow",
        "auth.validate.code": "OK",
    }
    assert deny.parent is None
    assert {
        key: value for key, value in (deny.attributes or {}).items() if key.startswith("auth.")
    } == {
        "auth.validate.dialect": "nginx",
        "auth.validate.result": "deny",
        "auth.validate.code": "TOKEN_MISSING",
    }
    assert (deny.attributes or {})["http.response.status_code"] == 401
