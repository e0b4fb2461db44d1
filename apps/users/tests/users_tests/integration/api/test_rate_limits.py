"""users' limits over HTTP against real Redis: `PATCH`/`DELETE /me` per client address
(through trusted proxies) and per account, `POST /me/restore` per address and per the
account of its verified ticket, the internal identity API per calling service, the admin
API per administrator; a 429 with its headers; with Redis unreachable every limit fails
open."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from prometheus_client import REGISTRY
from pydantic import SecretStr

from testkit.ports import free_port
from users.setup.app import create_app
from users.setup.rate_limit_settings import UsersRateLimitSettings
from users.setup.settings import UsersSettings
from users_tests.conftest import AuthHeaders
from users_tests.factories import INTERNAL_TOKEN, identity_body, restore_ticket

ME = "/api/v1/users/me"
IDENTITIES = "/internal/v1/identities"
RESTORE = "/api/v1/users/me/restore"
ALICE = "alice-admin-credential-0123456789abcdef"
BOB = "bob-admin-credential-0123456789abcdefgh"
SERVICE = {"X-Service-Token": INTERNAL_TOKEN}


def limited(settings: UsersSettings, **changes: Any) -> UsersSettings:
    """`settings` with the limits and other fields given, under a key prefix of its own."""
    rates = UsersRateLimitSettings.model_validate(changes.pop("rate_limits"))
    return settings.model_copy(
        update={
            "redis_key_prefix": f"{settings.redis_key_prefix}{uuid.uuid4().hex[:8]}:",
            "trusted_proxies": ["127.0.0.0/8"],
            "rate_limits": rates,
            **changes,
        }
    )


@asynccontextmanager
async def running(settings: UsersSettings) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://users.test") as http,
    ):
        yield http


@pytest.fixture
async def api(settings: UsersSettings) -> AsyncIterator[httpx.AsyncClient]:
    rates = {
        "update_profile": {"per_ip": "4/minute", "per_account": "2/minute"},
        "delete_account": {"per_ip": "off", "per_account": "1/minute"},
        "internal_identity": {"per_service": "100/minute"},
    }
    async with running(limited(settings, rate_limits=rates)) as http:
        yield http


async def new_account(api: httpx.AsyncClient) -> str:
    created = await api.post(IDENTITIES, json=identity_body(), headers=SERVICE)
    assert created.status_code == 200, created.text
    user_id: str = created.json()["user_id"]
    return user_id


def assert_refused(response: httpx.Response, limit: int) -> None:
    assert response.status_code == 429
    assert response.json()["code"] == "RATE_LIMITED"
    assert response.headers["ratelimit-limit"] == str(limit)
    assert response.headers["ratelimit-remaining"] == "0"
    assert 1 <= int(response.headers["retry-after"]) <= 60


async def test_patch_me_is_limited_per_account_and_per_address(
    api: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    alice, bob = await new_account(api), await new_account(api)

    async def patch(user: str, address: str, nickname: str) -> httpx.Response:
        headers = {**auth_headers(user), "X-Forwarded-For": address}
        return await api.patch(ME, json={"nickname": nickname}, headers=headers)

    own = [await patch(alice, f"203.0.113.{n}", f"alice{n}") for n in range(3)]
    assert [r.status_code for r in own] == [200, 200, 429]
    assert_refused(own[2], 2)
    profile = await api.get(ME, headers=auth_headers(alice))
    assert profile.json()["nickname"] == "alice1"  # the refused change was not made

    # One address, several accounts: the address's own window (4) runs out.
    shared = [await patch(bob, "198.51.100.9", "bob")] + [
        await patch(await new_account(api), "198.51.100.9", "x") for _ in range(4)
    ]
    assert [r.status_code for r in shared] == [200, 200, 200, 200, 429]
    assert_refused(shared[4], 4)


async def test_a_refused_request_spends_no_one_elses_allowance(
    api: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    alice = await new_account(api)
    forged = await api.patch(ME, json={"nickname": "x"}, headers={"Authorization": "Bearer x.y.z"})
    assert forged.status_code == 401  # not counted against any account
    for n in range(2):
        answer = await api.patch(
            ME,
            json={"nickname": f"a{n}"},
            headers={**auth_headers(alice), "X-Forwarded-For": f"192.0.2.{n}"},
        )
        assert answer.status_code == 200


async def test_delete_me_is_limited_per_account(
    api: httpx.AsyncClient, auth_headers: AuthHeaders
) -> None:
    alice = await new_account(api)
    first = await api.delete(ME, headers=auth_headers(alice))
    again = await api.delete(ME, headers=auth_headers(alice))
    assert first.status_code == 204
    assert_refused(again, 1)  # refused before it could be a 404


async def test_the_internal_api_is_limited_per_calling_service(settings: UsersSettings) -> None:
    rates = {"internal_identity": {"per_service": "3/minute"}}
    async with running(limited(settings, rate_limits=rates)) as api:
        await calls_of_a_service(api)


async def calls_of_a_service(api: httpx.AsyncClient) -> None:
    strangers = [await api.post(IDENTITIES, json=identity_body(), headers={}) for _ in range(5)]
    assert {r.status_code for r in strangers} == {401}  # not counted: never authenticated
    calls = [await api.post(IDENTITIES, json=identity_body(), headers=SERVICE) for _ in range(4)]
    assert [r.status_code for r in calls] == [200, 200, 200, 429]
    assert_refused(calls[3], 3)
    login = await api.post(
        f"/internal/v1/users/{calls[0].json()['user_id']}/logins",
        json={"provider": "kakao"},
        headers=SERVICE,
    )
    assert_refused(login, 3)  # one window for the whole internal API


async def test_with_redis_unreachable_every_limit_fails_open_and_is_counted(
    settings: UsersSettings, auth_headers: AuthHeaders
) -> None:
    def failed_open(route: str, scope: str) -> float:
        labels = {"route": route, "scope": scope, "decision": "fail_open"}
        return REGISTRY.get_sample_value("rate_limit_decisions_total", labels) or 0.0

    before = [failed_open("update_profile", s) for s in ("ip", "account")]
    down = limited(
        settings,
        redis_url=SecretStr(f"redis://127.0.0.1:{free_port()}/0"),
        rate_limits={
            "update_profile": {"per_ip": "1/minute", "per_account": "1/minute"},
            "internal_identity": {"per_service": "1/minute"},
        },
    )
    async with running(down) as api:
        user = await new_account(api)
        await new_account(api)  # over the per-service limit, were it checked
        answers = [
            await api.patch(ME, json={"nickname": f"n{n}"}, headers=auth_headers(user))
            for n in range(3)
        ]
        ready = await api.get("/ready")
    assert [r.status_code for r in answers] == [200, 200, 200]
    after = [failed_open("update_profile", s) for s in ("ip", "account")]
    assert [a - b for a, b in zip(after, before, strict=True)] == [3, 3]
    assert ready.status_code == 200  # Redis is not on users' core path


async def pending_account(api: httpx.AsyncClient, auth_headers: AuthHeaders) -> str:
    """A new account whose owner asked for its deletion."""
    user = await new_account(api)
    assert (await api.delete(ME, headers=auth_headers(user))).status_code == 204
    return user


async def test_restore_is_limited_per_account_of_its_verified_ticket(
    settings: UsersSettings, auth_headers: AuthHeaders, signing_key: Ed25519PrivateKey
) -> None:
    rates = {"restore_account": {"per_ip": "off", "per_account": "2/minute"}}
    async with running(limited(settings, rate_limits=rates)) as api:
        alice, bob = (
            await pending_account(api, auth_headers),
            await pending_account(api, auth_headers),
        )
        forged = [
            await api.post(RESTORE, headers={"Authorization": "Bearer x.y.z"}) for _ in range(3)
        ]
        assert {r.status_code for r in forged} == {401}  # no account's allowance spent

        def restore(user: str, address: str) -> dict[str, str]:
            ticket = restore_ticket(signing_key, user)
            return {"Authorization": f"Bearer {ticket}", "X-Forwarded-For": address}

        own = [await api.post(RESTORE, headers=restore(alice, f"203.0.113.{n}")) for n in range(3)]
        assert [r.status_code for r in own] == [200, 200, 429]
        assert_refused(own[2], 2)
        other = await api.post(RESTORE, headers=restore(bob, "203.0.113.1"))
        assert other.json() == {"user_id": bob, "restored": True}


async def test_restore_is_limited_per_address_before_the_ticket_is_read(
    settings: UsersSettings,
) -> None:
    rates = {"restore_account": {"per_ip": "2/minute", "per_account": "off"}}
    async with running(limited(settings, rate_limits=rates)) as api:
        headers = {"Authorization": "Bearer x.y.z", "X-Forwarded-For": "198.51.100.7"}
        answers = [await api.post(RESTORE, headers=headers) for _ in range(3)]
        elsewhere = await api.post(RESTORE, headers={**headers, "X-Forwarded-For": "192.0.2.1"})
    assert [r.status_code for r in answers] == [401, 401, 429]
    assert_refused(answers[2], 2)
    assert elsewhere.status_code == 401


async def test_the_admin_api_is_limited_per_administrator(settings: UsersSettings) -> None:
    admins = {"alice": SecretStr(ALICE), "bob": SecretStr(BOB)}
    rates = {"admin": {"per_admin": "2/minute"}}
    async with running(limited(settings, rate_limits=rates, admin_credentials=admins)) as api:
        user = await new_account(api)

        async def call(action: str, credential: str) -> httpx.Response:
            headers = {"X-Admin-Token": credential}
            return await api.post(f"/internal/v1/admin/users/{user}/{action}", headers=headers)

        strangers = [await call("disable", ALICE[:-1]) for _ in range(3)]
        assert {r.status_code for r in strangers} == {401}  # not counted: no administrator
        alices = [await call("disable", ALICE), await call("enable", ALICE)]
        refused = await call("disable", ALICE)  # one window over every admin route
        bobs = await call("disable", BOB)
    assert [r.status_code for r in alices] == [200, 200]
    assert_refused(refused, 2)
    assert (bobs.status_code, bobs.json()["changed"]) == (200, True)
