"""auth's /internal/v1/admin over HTTP against real Redis and PostgreSQL: the credential,
force logout (all, one), the login audit's pages, the record of every call, and the
rate limit per administrator."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.token.dto.token import TokenPair
from auth.infrastructure.persistence_postgres.sqla_login_audit_gateway import (
    SqlaLoginAuditGateway,
)
from auth.setup.app import create_app
from auth.setup.rate_limit_settings import AuthRateLimitSettings
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.token.conftest import bearer, redis, stateless_client, test_prefix

__all__ = ["redis", "test_prefix"]

ALICE = "alice-admin-credential-0123456789abcdef"
BOB = "bob-admin-credential-0123456789abcdefghi"
VALIDATE = "/api/v1/auth/validate"


@pytest.fixture
async def app(settings: AuthSettings, test_prefix: str) -> AsyncIterator[FastAPI]:
    application = create_app(
        settings.model_copy(
            update={
                "redis_key_prefix": test_prefix,
                "admin_credentials": {"alice": SecretStr(ALICE), "bob": SecretStr(BOB)},
                "rate_limits": AuthRateLimitSettings.model_validate(
                    {"admin": {"per_admin": "6/minute"}}
                ),
            }
        )
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def api(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with stateless_client(app) as http:
        yield http


ADMIN = {"X-Admin-Token": ALICE}


async def login(app: FastAPI, user: uuid.UUID) -> TokenPair:
    tokens: TokenSystem = app.state.tokens
    return await tokens.service.issue_and_register(
        user_id=user, provider="kakao", device_id=None, user_agent="pytest"
    )


async def actions(
    database_url: str, *, user_id: uuid.UUID | None = None, session_id: str | None = None
) -> list[tuple[Any, ...]]:
    """The recorded admin actions about a user or a session, oldest first."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT admin, action, outcome, session_id, detail FROM auth.admin_actions"
                    " WHERE (CAST(:user_id AS uuid) IS NULL OR user_id = :user_id)"
                    " AND (CAST(:session_id AS text) IS NULL OR session_id = :session_id)"
                    " ORDER BY occurred_at, id"
                ),
                {"user_id": user_id, "session_id": session_id},
            )
            return [tuple(row) for row in rows]
    finally:
        await engine.dispose()


async def test_force_logout_of_a_user_is_seen_by_validate_and_recorded(
    app: FastAPI, api: httpx.AsyncClient, database_url: str
) -> None:
    user = uuid.uuid4()
    pairs = [await login(app, user), await login(app, user)]
    other = await login(app, uuid.uuid4())

    response = await api.post(f"/internal/v1/admin/users/{user}/logout", headers=ADMIN)

    assert response.status_code == 200, response.text
    assert response.json()["ended_sessions"] == 2
    for pair in pairs:
        rejected = await api.get(VALIDATE, headers=bearer(pair.access_token))
        assert (rejected.status_code, rejected.json()["code"]) == (401, "TOKEN_REVOKED")
        refresh = await api.post(
            "/api/v1/auth/refresh", headers={"X-Refresh-Token": f"Bearer {pair.refresh_token}"}
        )
        assert refresh.status_code == 401
    assert (await api.get(VALIDATE, headers=bearer(other.access_token))).status_code == 200
    assert await actions(database_url, user_id=user) == [
        ("alice", "force_logout_user", "done", None, "ended_sessions=2")
    ]


async def test_force_logout_of_one_session(
    app: FastAPI, api: httpx.AsyncClient, database_url: str
) -> None:
    user = uuid.uuid4()
    ended, kept = await login(app, user), await login(app, user)

    url = f"/internal/v1/admin/users/{user}/sessions/{ended.session_id}"
    response = await api.delete(url, headers=ADMIN)
    again = await api.delete(url, headers=ADMIN)
    stranger = await api.delete(
        f"/internal/v1/admin/users/{uuid.uuid4()}/sessions/{kept.session_id}", headers=ADMIN
    )

    assert response.status_code == 204
    assert (again.status_code, again.json()["code"]) == (404, "SESSION_NOT_FOUND")
    assert (stranger.status_code, stranger.json()["code"]) == (404, "SESSION_NOT_FOUND")
    assert (await api.get(VALIDATE, headers=bearer(ended.access_token))).status_code == 401
    tokens: TokenSystem = app.state.tokens
    assert await tokens.sessions.get(user, kept.session_id) is not None  # not the stranger's
    assert await actions(database_url, session_id=ended.session_id) == [
        ("alice", "force_logout_session", "done", ended.session_id, None),
        ("alice", "force_logout_session", "not_found", ended.session_id, None),
    ]


async def test_the_login_audit_is_read_page_by_page_with_filters(
    app: FastAPI, api: httpx.AsyncClient, database_url: str
) -> None:
    user = uuid.uuid4()
    audits = LoginAuditService()
    async with app.state.resources.session_factory() as session:
        for index in range(5):
            failed = index % 2 == 1
            await SqlaLoginAuditGateway(session).add(
                audits.create_login_audit(
                    result="failure" if failed else "success",
                    user_id=user,
                    provider="kakao",
                    reason="account_disabled" if failed else None,
                    client_ip="203.0.113.7",
                )
            )
        await session.commit()
    url = f"/internal/v1/admin/users/{user}/login-audit"

    first = await api.get(url, params={"limit": 3}, headers=ADMIN)
    assert first.status_code == 200, first.text
    second = await api.get(
        url, params={"limit": 3, "cursor": first.json()["next_cursor"]}, headers=ADMIN
    )
    items = first.json()["items"] + second.json()["items"]
    assert second.json()["next_cursor"] is None
    assert len(items) == 5
    assert [item["occurred_at"] for item in items] == sorted(
        (item["occurred_at"] for item in items), reverse=True
    )
    failures = await api.get(url, params={"result": "failure"}, headers=ADMIN)
    assert [item["reason"] for item in failures.json()["items"]] == ["account_disabled"] * 2
    since = items[1]["occurred_at"]
    window = await api.get(url, params={"since": since}, headers=ADMIN)
    assert {item["id"] for item in window.json()["items"]} == {items[0]["id"], items[1]["id"]}
    bad = await api.get(url, params={"cursor": "not-a-cursor"}, headers=ADMIN)
    assert (bad.status_code, bad.json()["code"]) == (422, "CURSOR_INVALID")
    reads = await actions(database_url, user_id=user)
    assert [(admin, action) for admin, action, *_ in reads] == [("alice", "read_login_audit")] * 4
    assert reads[2][4] == "result=failure rows=2"


@pytest.mark.parametrize(
    ("headers", "code"),
    [({}, "ADMIN_TOKEN_MISSING"), ({"X-Admin-Token": ALICE + "x"}, "ADMIN_TOKEN_INVALID")],
)
async def test_every_admin_route_wants_an_administrators_credential(
    app: FastAPI, api: httpx.AsyncClient, headers: dict[str, str], code: str
) -> None:
    user = uuid.uuid4()
    pair = await login(app, user)
    answers = [
        await api.post(f"/internal/v1/admin/users/{user}/logout", headers=headers),
        await api.delete(
            f"/internal/v1/admin/users/{user}/sessions/{pair.session_id}", headers=headers
        ),
        await api.get(f"/internal/v1/admin/users/{user}/login-audit", headers=headers),
    ]
    assert [(a.status_code, a.json()["code"]) for a in answers] == [(401, code)] * 3
    assert (await api.get(VALIDATE, headers=bearer(pair.access_token))).status_code == 200


def test_the_users_service_token_cannot_double_as_an_admin_credential(
    settings: AuthSettings,
) -> None:
    with pytest.raises(ValueError, match="must not reuse AUTH_OAUTH__USERS__TOKEN"):
        AuthSettings.model_validate(
            {
                **settings.model_dump(),
                "oauth": {"users": {"token": ALICE}},
                "admin_credentials": {"alice": ALICE},
            }
        )


async def test_each_administrator_has_one_window_over_every_admin_route(
    app: FastAPI, api: httpx.AsyncClient
) -> None:
    user = uuid.uuid4()
    strangers = [
        await api.post(f"/internal/v1/admin/users/{user}/logout", headers={"X-Admin-Token": "x"})
        for _ in range(7)
    ]
    assert {r.status_code for r in strangers} == {401}  # not counted: no administrator
    logouts = [await api.post(f"/internal/v1/admin/users/{user}/logout", headers=ADMIN)]
    reads = [
        await api.get(f"/internal/v1/admin/users/{user}/login-audit", headers=ADMIN)
        for _ in range(6)
    ]
    bobs = await api.post(f"/internal/v1/admin/users/{user}/logout", headers={"X-Admin-Token": BOB})

    assert [r.status_code for r in logouts + reads] == [200] * 6 + [429]
    refused = reads[-1]
    assert refused.json()["code"] == "RATE_LIMITED"
    assert refused.headers["ratelimit-limit"] == "6"
    assert bobs.status_code == 200
