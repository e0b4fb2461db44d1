"""/internal/v1/admin over HTTP: the administrator's credential, disable and enable, and
the audit of every call."""

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

from users.setup.app import create_app
from users.setup.settings import UsersSettings
from users_tests.conftest import AuthHeaders
from users_tests.factories import INTERNAL_TOKEN, identity_body

ALICE = "alice-admin-credential-0123456789abcdef"
BOB = "bob-admin-credential-0123456789abcdefgh"


@pytest.fixture
async def admin_app(settings: UsersSettings) -> AsyncIterator[FastAPI]:
    configured = settings.model_copy(
        update={"admin_credentials": {"alice": SecretStr(ALICE), "bob": SecretStr(BOB)}}
    )
    app = create_app(configured)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def admin(admin_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=admin_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://users.test") as http:
        yield http


async def actions(database_url: str, user_id: str) -> list[tuple[Any, ...]]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT admin, action, outcome FROM users.admin_actions"
                    " WHERE user_id = :id ORDER BY occurred_at, id"
                ),
                {"id": uuid.UUID(user_id)},
            )
            return [tuple(row) for row in rows]
    finally:
        await engine.dispose()


async def events(database_url: str, user_id: str) -> list[str]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT event_type FROM users.outbox WHERE aggregate_id = :id"),
                {"id": uuid.UUID(user_id)},
            )
            return [row.event_type for row in rows]
    finally:
        await engine.dispose()


async def test_disable_refuses_sign_in_announces_and_audits_the_administrator(
    admin: httpx.AsyncClient, database_url: str, internal_headers: dict[str, str]
) -> None:
    body = identity_body()
    user_id = (
        await admin.post("/internal/v1/identities", json=body, headers=internal_headers)
    ).json()["user_id"]

    disabled = await admin.post(
        f"/internal/v1/admin/users/{user_id}/disable", headers={"X-Admin-Token": ALICE}
    )

    assert disabled.status_code == 200, disabled.text
    assert disabled.json() == {"user_id": user_id, "status": "disabled", "changed": True}
    assert await events(database_url, user_id) == ["user.disabled"]
    sign_in = await admin.post("/internal/v1/identities", json=body, headers=internal_headers)
    assert sign_in.status_code == 403
    assert sign_in.json() == {
        "code": "ACCOUNT_DISABLED",
        "detail": "The account is disabled.",
        "user_id": user_id,
    }
    login = await admin.post(
        f"/internal/v1/users/{user_id}/logins", json={"provider": "kakao"}, headers=internal_headers
    )
    assert (login.status_code, login.json()["user_id"]) == (403, user_id)

    enabled = await admin.post(
        f"/internal/v1/admin/users/{user_id}/enable", headers={"X-Admin-Token": BOB}
    )
    assert enabled.json() == {"user_id": user_id, "status": "active", "changed": True}
    sign_in = await admin.post("/internal/v1/identities", json=body, headers=internal_headers)
    assert sign_in.status_code == 200
    assert await actions(database_url, user_id) == [
        ("alice", "disable", "changed"),
        ("bob", "enable", "changed"),
    ]


async def test_an_unknown_account_is_404_and_the_attempt_audited(
    admin: httpx.AsyncClient, database_url: str
) -> None:
    missing = str(uuid.uuid4())
    response = await admin.post(
        f"/internal/v1/admin/users/{missing}/disable", headers={"X-Admin-Token": ALICE}
    )
    assert (response.status_code, response.json()["code"]) == (404, "USER_NOT_FOUND")
    assert await actions(database_url, missing) == [("alice", "disable", "not_found")]


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "ADMIN_TOKEN_MISSING"),
        ({"X-Admin-Token": ALICE[:-1]}, "ADMIN_TOKEN_INVALID"),
        ({"X-Admin-Token": INTERNAL_TOKEN}, "ADMIN_TOKEN_INVALID"),
        ({"X-Service-Token": INTERNAL_TOKEN}, "ADMIN_TOKEN_MISSING"),
    ],
    ids=["none", "wrong", "service token as admin", "service token header"],
)
async def test_only_an_administrator_credential_is_accepted(
    admin: httpx.AsyncClient, database_url: str, headers: dict[str, str], code: str
) -> None:
    user_id = str(uuid.uuid4())
    response = await admin.post(f"/internal/v1/admin/users/{user_id}/disable", headers=headers)
    assert (response.status_code, response.json()["code"]) == (401, code)
    assert await actions(database_url, user_id) == []


async def test_without_configured_credentials_every_admin_call_is_refused(
    client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    response = await client.post(
        f"/internal/v1/admin/users/{uuid.uuid4()}/disable", headers={"X-Admin-Token": ALICE}
    )
    assert (response.status_code, response.json()["code"]) == (401, "ADMIN_TOKEN_INVALID")


def test_the_service_token_cannot_double_as_an_admin_credential(settings: UsersSettings) -> None:
    with pytest.raises(ValueError, match="must not reuse USERS_INTERNAL_API_TOKEN"):
        UsersSettings(
            **{
                **settings.model_dump(),
                "admin_credentials": {"mallory": SecretStr(INTERNAL_TOKEN)},
            }
        )
