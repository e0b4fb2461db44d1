"""DELETE /me with its grace period, POST /me/restore with a restore ticket, and what a
sign-in (the internal identity API) answers meanwhile, over HTTP with real tokens."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from users.setup.app import create_app
from users.setup.deletion_settings import DeletionSettings
from users.setup.settings import UsersSettings
from users_tests.conftest import AuthHeaders, NewUser
from users_tests.factories import access_token, identity_body, restore_ticket


def restore_cookie(ticket: str) -> dict[str, str]:
    """The cookie auth sets at a sign-in refused as pending deletion."""
    return {"Cookie": f"s_restore={ticket}"}


async def fetch(database_url: str, sql: str, **params: Any) -> list[Any]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(text(sql), params)).all())
    finally:
        await engine.dispose()


async def account_state(database_url: str, user_id: str) -> tuple[Any, ...]:
    [row] = await fetch(
        database_url,
        "SELECT status, deletion_requested_at, purge_after FROM users.accounts WHERE id = :id",
        id=uuid.UUID(user_id),
    )
    return tuple(row)


async def outbox(database_url: str, user_id: str) -> list[Any]:
    return await fetch(
        database_url,
        "SELECT event_type, payload FROM users.outbox WHERE aggregate_id = :id"
        " ORDER BY occurred_at, id",
        id=uuid.UUID(user_id),
    )


async def test_delete_makes_the_account_pending_and_announces_it(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders, database_url: str
) -> None:
    user = await new_user()
    before = datetime.now().astimezone()

    response = await client.delete("/api/v1/users/me", headers=auth_headers(user["user_id"]))

    assert (response.status_code, response.content) == (204, b"")
    status, requested_at, purge_after = await account_state(database_url, user["user_id"])
    assert status == "pending_deletion"
    assert requested_at >= before
    assert purge_after - requested_at == timedelta(days=30)
    [(event_type, payload)] = await outbox(database_url, user["user_id"])
    assert event_type == "user.deletion_requested"
    assert datetime.fromisoformat(payload["purge_after"]) == purge_after
    # Nothing is erased during the grace period.
    [(links,)] = await fetch(
        database_url,
        "SELECT count(*) FROM users.social_accounts WHERE user_id = :id",
        id=uuid.UUID(user["user_id"]),
    )
    assert links == 1


async def test_a_second_delete_keeps_the_date_and_announces_nothing(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders, database_url: str
) -> None:
    user = await new_user()
    headers = auth_headers(user["user_id"])
    assert (await client.delete("/api/v1/users/me", headers=headers)).status_code == 204
    first = await account_state(database_url, user["user_id"])
    assert (await client.delete("/api/v1/users/me", headers=headers)).status_code == 204
    assert await account_state(database_url, user["user_id"]) == first
    assert len(await outbox(database_url, user["user_id"])) == 1


async def test_a_pending_account_cannot_sign_in_nor_change_its_profile(
    client: httpx.AsyncClient,
    internal_headers: dict[str, str],
    auth_headers: AuthHeaders,
    database_url: str,
) -> None:
    body = identity_body()
    created = await client.post("/internal/v1/identities", json=body, headers=internal_headers)
    user_id = created.json()["user_id"]
    headers = auth_headers(user_id)
    assert (await client.delete("/api/v1/users/me", headers=headers)).status_code == 204
    _, _, purge_after = await account_state(database_url, user_id)

    sign_in = await client.post(
        "/internal/v1/identities", json={**body, "nickname": "새이름"}, headers=internal_headers
    )
    assert sign_in.status_code == 403
    refused = sign_in.json()
    assert (refused["code"], refused["user_id"]) == ("ACCOUNT_PENDING_DELETION", user_id)
    assert datetime.fromisoformat(refused["purge_after"]) == purge_after
    login = await client.post(
        f"/internal/v1/users/{user_id}/logins", json={"provider": "kakao"}, headers=internal_headers
    )
    assert (login.status_code, login.json()["code"]) == (403, "ACCOUNT_PENDING_DELETION")
    patch = await client.patch("/api/v1/users/me", json={"nickname": "새이름"}, headers=headers)
    assert (patch.status_code, patch.json()["code"]) == (403, "ACCOUNT_PENDING_DELETION")
    [(name,)] = await fetch(
        database_url, "SELECT name FROM users.accounts WHERE id = :id", id=uuid.UUID(user_id)
    )
    assert name == "지구지킴이"  # the refused sign-in refreshed nothing


async def test_restore_with_a_fresh_ticket_makes_the_account_sign_in_again(
    client: httpx.AsyncClient,
    internal_headers: dict[str, str],
    auth_headers: AuthHeaders,
    signing_key: Ed25519PrivateKey,
    database_url: str,
) -> None:
    body = identity_body()
    created = await client.post("/internal/v1/identities", json=body, headers=internal_headers)
    user_id = created.json()["user_id"]
    assert (
        await client.delete("/api/v1/users/me", headers=auth_headers(user_id))
    ).status_code == 204
    ticket = restore_ticket(signing_key, user_id)

    # The browser sends the cookie auth set at the refused sign-in.
    restored = await client.post("/api/v1/users/me/restore", headers=restore_cookie(ticket))

    assert restored.status_code == 200, restored.text
    assert restored.json() == {"user_id": user_id, "restored": True}
    assert await account_state(database_url, user_id) == ("active", None, None)
    again = await client.post(
        "/api/v1/users/me/restore", headers={"Authorization": f"Bearer {ticket}"}
    )
    assert again.json() == {"user_id": user_id, "restored": False}
    sign_in = await client.post("/internal/v1/identities", json=body, headers=internal_headers)
    assert (sign_in.status_code, sign_in.json()["user_id"]) == (200, user_id)


async def test_restore_refuses_what_is_not_a_fresh_restore_ticket(
    client: httpx.AsyncClient,
    new_user: NewUser,
    auth_headers: AuthHeaders,
    signing_key: Ed25519PrivateKey,
    database_url: str,
) -> None:
    user_id = (await new_user())["user_id"]
    assert (
        await client.delete("/api/v1/users/me", headers=auth_headers(user_id))
    ).status_code == 204
    other_key = Ed25519PrivateKey.generate()
    cases = {
        "RESTORE_TICKET_MISSING": None,
        "TOKEN_TYPE_INVALID": access_token(signing_key, user_id),
        "TOKEN_EXPIRED": restore_ticket(
            signing_key, user_id, issued_at=int(time.time()) - 700, expires_in=600
        ),
        "TOKEN_INVALID": restore_ticket(other_key, user_id),
        "TOKEN_MALFORMED": "not.a.ticket",
        # A sign-in before the deletion request (an earlier grace period's ticket).
        "RESTORE_TICKET_STALE": restore_ticket(
            signing_key, user_id, issued_at=int(time.time()) - 60
        ),
    }
    answers = {}
    for expected, ticket in cases.items():
        headers = restore_cookie(ticket) if ticket else {}
        response = await client.post("/api/v1/users/me/restore", headers=headers)
        answers[expected] = (response.status_code, response.json()["code"])
    assert answers == {
        "RESTORE_TICKET_MISSING": (401, "RESTORE_TICKET_MISSING"),
        "TOKEN_TYPE_INVALID": (401, "TOKEN_TYPE_INVALID"),
        "TOKEN_EXPIRED": (401, "TOKEN_EXPIRED"),
        "TOKEN_INVALID": (401, "TOKEN_INVALID"),
        "TOKEN_MALFORMED": (401, "TOKEN_MALFORMED"),
        "RESTORE_TICKET_STALE": (403, "RESTORE_TICKET_STALE"),
    }
    assert (await account_state(database_url, user_id))[0] == "pending_deletion"


async def test_restoring_an_account_that_was_purged_is_not_found(
    client: httpx.AsyncClient, signing_key: Ed25519PrivateKey
) -> None:
    ticket = restore_ticket(signing_key, uuid.uuid4())
    response = await client.post("/api/v1/users/me/restore", headers=restore_cookie(ticket))
    assert (response.status_code, response.json()["code"]) == (404, "USER_NOT_FOUND")


@pytest.fixture
async def immediate(settings: UsersSettings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with a grace period of 0: today's immediate deletion."""
    app = create_app(
        settings.model_copy(update={"deletion": DeletionSettings(grace_period=timedelta(0))})
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://users.test") as http:
            yield http


async def test_with_no_grace_period_delete_purges_at_once(
    immediate: httpx.AsyncClient,
    internal_headers: dict[str, str],
    auth_headers: AuthHeaders,
    database_url: str,
) -> None:
    body = identity_body(provider="kakao", provider_user_id="kakao-31415")
    created = await immediate.post("/internal/v1/identities", json=body, headers=internal_headers)
    user_id = created.json()["user_id"]

    response = await immediate.delete("/api/v1/users/me", headers=auth_headers(user_id))

    assert response.status_code == 204
    [(accounts, links, characters)] = await fetch(
        database_url,
        "SELECT (SELECT count(*) FROM users.accounts WHERE id = :id),"
        " (SELECT count(*) FROM users.social_accounts WHERE user_id = :id),"
        " (SELECT count(*) FROM users.user_characters WHERE user_id = :id)",
        id=uuid.UUID(user_id),
    )
    assert (accounts, links, characters) == (0, 0, 0)
    events = await outbox(database_url, user_id)
    assert [event_type for event_type, _ in events] == [
        "user.deletion_requested",
        "user.purged",
    ]
    assert events[1][1] == {
        "identities": [{"provider": "kakao", "provider_user_id": "kakao-31415"}]
    }
    again = await immediate.post("/internal/v1/identities", json=body, headers=internal_headers)
    assert again.json()["created"] is True  # the identity is free: a new account
