"""Linked social accounts over HTTP on PostgreSQL: the owner's list and unlink (with the
recency rule read from the token's auth_time), and the internal link, lookup and
end-of-link calls auth makes."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from users_tests.conftest import AuthHeaders, NewUser
from users_tests.factories import identity_body

MINE = "/api/v1/users/me/social-accounts"
IDENTITIES = "/internal/v1/identities"


def recent(**claims: Any) -> dict[str, Any]:
    """Claims of a token whose session signed in a minute ago."""
    return {"auth_time": int(time.time()) - 60, **claims}


async def linked_providers(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    response = await client.get(MINE, headers=headers)
    assert response.status_code == 200, response.text
    return [account["provider"] for account in response.json()["social_accounts"]]


async def link(
    client: httpx.AsyncClient, internal: dict[str, str], user_id: str, **identity: Any
) -> httpx.Response:
    return await client.post(
        f"/internal/v1/users/{user_id}/social-accounts",
        json=identity_body(**identity),
        headers=internal,
    )


async def test_a_linked_provider_is_listed_and_can_be_unlinked(
    client: httpx.AsyncClient,
    new_user: NewUser,
    auth_headers: AuthHeaders,
    internal_headers: dict[str, str],
) -> None:
    user = await new_user(provider="kakao", email="k@example.com")
    linked = await link(
        client, internal_headers, user["user_id"], provider="google", email="g@example.com"
    )
    assert linked.status_code == 201, linked.text
    assert linked.json() == {"user_id": user["user_id"], "provider": "google", "linked": True}
    me = auth_headers(user["user_id"], **recent())
    listed = (await client.get(MINE, headers=me)).json()["social_accounts"]
    assert [(a["provider"], a["email"], a["email_verified"]) for a in listed] == [
        ("kakao", "k@example.com", True),
        ("google", "g@example.com", True),
    ]
    assert all(set(a) == {"provider", "email", "email_verified", "linked_at", "last_login_at"}
               for a in listed)  # fmt: skip
    # The account's own profile did not take the linked provider's e-mail.
    assert (await client.get("/api/v1/users/me", headers=me)).json()["email"] == "k@example.com"

    response = await client.delete(f"{MINE}/google", headers=me)
    assert (response.status_code, response.content) == (204, b"")
    assert await linked_providers(client, me) == ["kakao"]


async def test_unlinking_needs_a_recent_sign_in_read_from_auth_time(
    client: httpx.AsyncClient,
    new_user: NewUser,
    auth_headers: AuthHeaders,
    internal_headers: dict[str, str],
) -> None:
    user = await new_user(provider="kakao")
    await link(client, internal_headers, user["user_id"], provider="google")
    stale = auth_headers(user["user_id"], auth_time=int(time.time()) - 601)
    without = auth_headers(user["user_id"])  # a token from before auth sent the claim
    for headers in (stale, without):
        response = await client.delete(f"{MINE}/google", headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "REAUTHENTICATION_REQUIRED"
        assert response.headers["www-authenticate"] == "Bearer"
    assert await linked_providers(client, stale) == ["kakao", "google"]


async def test_the_last_login_method_and_an_unlinked_provider_are_refused(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user(provider="kakao")
    me = auth_headers(user["user_id"], **recent())
    refused = [
        await client.delete(f"{MINE}/kakao", headers=me),
        await client.delete(f"{MINE}/naver", headers=me),
        await client.delete(f"{MINE}/Not%20A%20Provider", headers=me),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [
        (409, "LAST_LOGIN_METHOD"),
        (404, "SOCIAL_ACCOUNT_NOT_FOUND"),
        (422, "PROVIDER_INVALID"),
    ]
    assert await linked_providers(client, me) == ["kakao"]


async def test_two_concurrent_unlinks_never_leave_an_account_without_a_login(
    client: httpx.AsyncClient,
    new_user: NewUser,
    auth_headers: AuthHeaders,
    internal_headers: dict[str, str],
) -> None:
    user = await new_user(provider="kakao")
    await link(client, internal_headers, user["user_id"], provider="google")
    me = auth_headers(user["user_id"], **recent())
    kakao, google = await asyncio.gather(
        client.delete(f"{MINE}/kakao", headers=me), client.delete(f"{MINE}/google", headers=me)
    )
    assert sorted((kakao.status_code, google.status_code)) == [204, 409]
    loser = kakao if kakao.status_code == 409 else google
    assert loser.json()["code"] == "LAST_LOGIN_METHOD"
    assert len(await linked_providers(client, me)) == 1


async def test_unknown_user_has_no_social_accounts_to_list_or_unlink(
    client: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    headers = auth_headers(uuid.uuid4(), **recent())
    responses = [
        await client.get(MINE, headers=headers),
        await client.delete(f"{MINE}/kakao", headers=headers),
    ]
    assert [(r.status_code, r.json()["code"]) for r in responses] == [(404, "USER_NOT_FOUND")] * 2
    assert (await client.get(MINE)).json()["code"] == "TOKEN_MISSING"


# Internal: link


async def test_linking_is_idempotent_and_an_identity_of_another_user_is_refused(
    client: httpx.AsyncClient,
    new_user: NewUser,
    auth_headers: AuthHeaders,
    internal_headers: dict[str, str],
) -> None:
    owner = await new_user(provider="kakao")
    other = await new_user(provider="kakao")
    google = {"provider": "google", "provider_user_id": uuid.uuid4().hex}
    first = await link(client, internal_headers, owner["user_id"], **google)
    again = await link(client, internal_headers, owner["user_id"], **google)
    stolen = await link(client, internal_headers, other["user_id"], **google)
    second_google = await link(client, internal_headers, owner["user_id"], provider="google")
    nobody = await link(client, internal_headers, str(uuid.uuid4()), provider="naver")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["linked"] is False
    assert [(r.status_code, r.json()["code"]) for r in (stolen, second_google, nobody)] == [
        (409, "ACCOUNT_ALREADY_LINKED"),
        (409, "PROVIDER_ALREADY_LINKED"),
        (404, "USER_NOT_FOUND"),
    ]
    assert await linked_providers(client, auth_headers(owner["user_id"])) == ["kakao", "google"]
    assert await linked_providers(client, auth_headers(other["user_id"])) == ["kakao"]


async def test_the_internal_identity_routes_need_the_service_credential(
    client: httpx.AsyncClient, new_user: NewUser, auth_headers: AuthHeaders
) -> None:
    user = await new_user()
    params = {"provider": "kakao", "provider_user_id": "1"}
    responses = [
        await client.get(IDENTITIES, params=params),
        await client.delete(IDENTITIES, params=params, headers=auth_headers(user["user_id"])),
        await client.post(
            f"/internal/v1/users/{user['user_id']}/social-accounts", json=identity_body()
        ),
    ]
    assert [(r.status_code, r.json()["code"]) for r in responses] == [
        (401, "SERVICE_TOKEN_MISSING")
    ] * 3


# Internal: lookup and the end of a link (a provider's unlink notice)


async def test_an_identity_is_found_by_any_provider_user_id_characters(
    client: httpx.AsyncClient, new_user: NewUser, internal_headers: dict[str, str]
) -> None:
    naver_id = "aB+/c=d-_/e"  # Naver's ids are Base64: '/' and '+' included
    user = await new_user(provider="naver", provider_user_id=naver_id)
    found = await client.get(
        IDENTITIES,
        params={"provider": "naver", "provider_user_id": naver_id},
        headers=internal_headers,
    )
    missing = await client.get(
        IDENTITIES,
        params={"provider": "naver", "provider_user_id": "aB+"},
        headers=internal_headers,
    )
    assert (found.status_code, found.json()) == (200, {"user_id": user["user_id"]})
    assert (missing.status_code, missing.json()["code"]) == (404, "IDENTITY_NOT_FOUND")


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"provider": "Kakao!", "provider_user_id": "1"}, "PROVIDER_INVALID"),
        ({"provider": "kakao", "provider_user_id": " 1"}, "PROVIDER_USER_ID_INVALID"),
        ({"provider": "kakao", "provider_user_id": "\x00"}, "REQUEST_INVALID"),
        ({"provider": "kakao"}, "REQUEST_INVALID"),
    ],
)
async def test_a_malformed_identity_is_422(
    client: httpx.AsyncClient,
    internal_headers: dict[str, str],
    params: dict[str, str],
    code: str,
) -> None:
    for method in ("GET", "DELETE"):
        response = await client.request(method, IDENTITIES, params=params, headers=internal_headers)
        assert (response.status_code, response.json()["code"]) == (422, code)


async def test_ending_one_of_two_links_unlinks_it_and_a_repeat_finds_nothing(
    client: httpx.AsyncClient,
    new_user: NewUser,
    auth_headers: AuthHeaders,
    internal_headers: dict[str, str],
) -> None:
    kakao = identity_body(provider="kakao")
    user = await new_user(**kakao)
    await link(client, internal_headers, user["user_id"], provider="naver")
    params = {"provider": "kakao", "provider_user_id": kakao["provider_user_id"]}
    ended = await client.delete(IDENTITIES, params=params, headers=internal_headers)
    repeat = await client.delete(IDENTITIES, params=params, headers=internal_headers)
    assert (ended.status_code, ended.json()) == (
        200,
        {"user_id": user["user_id"], "user_deleted": False},
    )
    assert (repeat.status_code, repeat.json()["code"]) == (404, "IDENTITY_NOT_FOUND")
    assert await linked_providers(client, auth_headers(user["user_id"])) == ["naver"]


async def account_state(database_url: str, user_id: str) -> tuple[object, ...]:
    """What is left of an account: its rows and the events it wrote."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            params = {"id": uuid.UUID(user_id)}
            counts = (
                await connection.execute(
                    text(
                        "SELECT (SELECT count(*) FROM users.accounts WHERE id = :id),"
                        " (SELECT count(*) FROM users.social_accounts WHERE user_id = :id),"
                        " (SELECT count(*) FROM users.user_characters WHERE user_id = :id)"
                    ),
                    params,
                )
            ).one()
            events = (
                await connection.execute(
                    text("SELECT event_type FROM users.outbox WHERE aggregate_id = :id"), params
                )
            ).all()
    finally:
        await engine.dispose()
    return (*counts, sorted(row.event_type for row in events))


async def test_ending_the_last_link_deletes_the_account_exactly_as_delete_me_does(
    client: httpx.AsyncClient,
    new_user: NewUser,
    auth_headers: AuthHeaders,
    internal_headers: dict[str, str],
    database_url: str,
) -> None:
    by_owner = await new_user(provider="kakao")
    kakao = identity_body(provider="kakao")
    by_provider = await new_user(**kakao)
    deleted = await client.delete("/api/v1/users/me", headers=auth_headers(by_owner["user_id"]))
    assert deleted.status_code == 204
    params = {"provider": "kakao", "provider_user_id": kakao["provider_user_id"]}
    ended = await client.delete(IDENTITIES, params=params, headers=internal_headers)
    assert (ended.status_code, ended.json()) == (
        200,
        {"user_id": by_provider["user_id"], "user_deleted": True},
    )
    owner_state = await account_state(database_url, by_owner["user_id"])
    assert await account_state(database_url, by_provider["user_id"]) == owner_state
    assert owner_state[-1] == ["user.deletion_requested"]  # the grace period began
    # Pending deletion keeps the identity (restorable): a repeat changes and records nothing.
    repeat = await client.delete(IDENTITIES, params=params, headers=internal_headers)
    assert (repeat.status_code, repeat.json()["user_deleted"]) == (200, True)
    assert await account_state(database_url, by_provider["user_id"]) == owner_state
