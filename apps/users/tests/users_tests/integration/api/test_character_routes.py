"""/api/v1/users/me/characters over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from users_tests.conftest import AuthHeaders, NewUser


async def _insert_character(
    database_url: str, user_id: str, code: str, status: str, acquired_at: datetime
) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO users.user_characters (id, user_id, character_id, character_code,"
                    " character_name, character_type, character_dialog, source, status,"
                    " acquired_at, updated_at) VALUES (:id, :user_id, :character_id, :code,"
                    " :name, NULL, NULL, 'quest', :status, :at, :at)"
                ),
                {
                    "id": uuid.uuid4(),
                    "user_id": uuid.UUID(user_id),
                    "character_id": uuid.uuid4(),
                    "code": code,
                    "name": code.upper(),
                    "status": status,
                    "at": acquired_at,
                },
            )
    finally:
        await engine.dispose()


async def test_new_account_owns_the_default_character(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user()
    response = await client.get(
        "/api/v1/users/me/characters", headers=auth_headers(user["user_id"])
    )
    assert response.status_code == 200
    [character] = response.json()
    assert character["code"] == "char-eco"
    assert character["name"] == "이코"
    assert character["source"] == "default"


async def test_only_owned_characters_are_listed_newest_first(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders, database_url: str
) -> None:
    user = await new_user()
    later = datetime.now(UTC) + timedelta(days=1)
    await _insert_character(database_url, user["user_id"], "char-pet", "owned", later)
    await _insert_character(
        database_url, user["user_id"], "char-can", "owned", later + timedelta(hours=1)
    )
    await _insert_character(database_url, user["user_id"], "char-burned", "burned", later)
    await _insert_character(database_url, user["user_id"], "char-traded", "traded", later)
    response = await client.get(
        "/api/v1/users/me/characters", headers=auth_headers(user["user_id"])
    )
    assert [c["code"] for c in response.json()] == ["char-can", "char-pet", "char-eco"]


async def test_ownership_is_true_only_for_owned(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders, database_url: str
) -> None:
    user = await new_user()
    headers = auth_headers(user["user_id"])
    await _insert_character(
        database_url, user["user_id"], "char-burned", "burned", datetime.now(UTC)
    )
    answers = {}
    for code in ("char-eco", "char-burned", "char-none"):
        response = await client.get(
            f"/api/v1/users/me/characters/{code}/ownership", headers=headers
        )
        assert response.status_code == 200
        answers[code] = response.json()
    assert answers == {
        "char-eco": {"code": "char-eco", "owned": True},
        "char-burned": {"code": "char-burned", "owned": False},
        "char-none": {"code": "char-none", "owned": False},
    }


async def test_ownership_of_an_invalid_code_is_422(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user()
    response = await client.get(
        "/api/v1/users/me/characters/-bad%20code/ownership", headers=auth_headers(user["user_id"])
    )
    assert response.status_code == 422
    assert response.json()["code"] == "CHARACTER_CODE_INVALID"


async def test_listing_characters_never_writes(
    client: httpx.AsyncClient, auth_headers: AuthHeaders, database_url: str
) -> None:
    ghost = uuid.uuid4()
    response = await client.get("/api/v1/users/me/characters", headers=auth_headers(ghost))
    assert response.status_code == 404
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(
                text("SELECT count(*) FROM users.user_characters WHERE user_id = :id"),
                {"id": ghost},
            )
    finally:
        await engine.dispose()
    assert count == 0
