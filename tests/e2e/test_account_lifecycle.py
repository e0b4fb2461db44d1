"""End to end, the account's life: real OpenID Connect provider, auth, users, both relays,
the account purge and the audit eraser as real processes (`e2e.stack`).

- delete -> sign in -> ACCOUNT_PENDING_DELETION (with a restore ticket) -> restore ->
  signed in as before;
- delete -> the purge date passes -> purged, `user.purged` on the stream with the
  provider identity, the login audit's client details erased;
- an administrator disables the account -> its token is rejected by /validate, its
  sign-in refused; the administrator reads the refusal in the login audit.

Waits are bounded loops (they fail after `BOUND_SECONDS`); no latency is asserted.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis

from e2e.stack import FRONTEND, Browser, Processes, Stack, running_stack
from testkit.databases import libpq_url, temporary_database
from testkit.redis_namespace import redis_namespace
from testkit.servers import postgres_server, redis_server

ADMIN_TOKEN = "e2e-admin-credential-0123456789abcdef-xyz"
BOUND_SECONDS = 20.0


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    processes = Processes(tmp_path_factory.mktemp("e2e-lifecycle-logs"))
    admin = json.dumps({"ops-kim": ADMIN_TOKEN})
    with (
        postgres_server() as admin_url,
        temporary_database(admin_url, "e2e_lifecycle") as database_url,
        redis_server() as redis_url,
        redis_namespace(redis_url, "e2e-lifecycle") as prefix,
        running_stack(
            processes,
            database_url=database_url,
            redis_url=redis_url,
            prefix=prefix,
            auth_settings={"AUTH_ADMIN_CREDENTIALS": admin},
            users_settings={
                "USERS_ADMIN_CREDENTIALS": admin,
                "USERS_DELETION__PURGE_INTERVAL_SECONDS": "0.2",
            },
            relays=True,
            lifecycle=True,
        ) as running,
    ):
        yield running


async def eventually(check: Callable[[], Awaitable[Any]], what: str) -> Any:
    """The first truthy result of `check`, polled until BOUND_SECONDS."""
    deadline = time.monotonic() + BOUND_SECONDS
    while time.monotonic() < deadline:
        result = await check()
        if result:
            return result
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {BOUND_SECONDS} s: {what}")


async def sign_in(browser: Browser, login: str) -> httpx.Response:
    """The whole login through the provider; the callback's answer (a redirect)."""
    return await browser.http.get(await browser.login_url(login))


def redirect(response: httpx.Response) -> tuple[str, dict[str, list[str]]]:
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["location"])
    return f"{location.scheme}://{location.netloc}{location.path}", parse_qs(location.query)


async def validate(stack: Stack, http: httpx.AsyncClient, access: str) -> int:
    response = await http.get(
        f"{stack.auth}/api/v1/auth/validate", headers={"Authorization": f"Bearer {access}"}
    )
    return response.status_code


async def sql(stack: Stack, statement: str, *args: object) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(libpq_url(stack.users_env["USERS_DATABASE_URL"]))
    try:
        return list(await connection.fetch(statement, *args))
    finally:
        await connection.close()


async def test_delete_then_sign_in_offers_the_restore_and_restoring_signs_in_again(
    stack: Stack,
) -> None:
    async with httpx.AsyncClient(timeout=10.0) as http:
        browser = Browser(stack, http)
        assert redirect(await sign_in(browser, "carol"))[0] == f"{FRONTEND}/login/success"
        access = http.cookies["s_access"]
        me = (await http.get(f"{stack.users}/api/v1/users/me")).json()

        deleted = await http.delete(f"{stack.users}/api/v1/users/me")
        assert deleted.status_code == 204
        # Every session ends at once, as a deletion always did: the event reaches auth.
        await eventually(lambda: _equals(validate(stack, http, access), 401), "the token rejected")

        refused = await sign_in(browser, "carol")
        page, query = redirect(refused)
        assert page == f"{FRONTEND}/login/error"
        assert query["error"] == ["account_pending_deletion"]
        assert query["purge_after"]
        set_cookies = {line.split("=", 1)[0] for line in refused.headers.get_list("set-cookie")}
        assert set_cookies == {"s_restore"}  # a ticket, no session
        ticket = http.cookies.get("s_restore", path="/api/v1/users/me/restore")
        assert ticket

        # The account page posts the restore; the browser sends the ticket cookie.
        restored = await http.post(f"{stack.users}/api/v1/users/me/restore")
        assert restored.status_code == 200, restored.text
        assert restored.json() == {"user_id": me["user_id"], "restored": True}

        again = await sign_in(browser, "carol")
        assert redirect(again)[0] == f"{FRONTEND}/login/success"
        profile = await http.get(f"{stack.users}/api/v1/users/me")
        assert profile.status_code == 200
        assert profile.json()["user_id"] == me["user_id"]  # the same account, kept


async def _equals(value: Awaitable[object], expected: object) -> bool:
    return await value == expected


async def test_delete_then_the_purge_erases_the_account_and_announces_it(stack: Stack) -> None:
    async with httpx.AsyncClient(timeout=10.0) as http:
        browser = Browser(stack, http)
        assert redirect(await sign_in(browser, "dave"))[0] == f"{FRONTEND}/login/success"
        user_id = (await http.get(f"{stack.users}/api/v1/users/me")).json()["user_id"]
        assert (await http.delete(f"{stack.users}/api/v1/users/me")).status_code == 204

        # The grace period (30 days) is over: the worker purges within its next scan.
        await sql(
            stack,
            "UPDATE users.accounts SET purge_after = now() - interval '1 second' WHERE id = $1",
            uuid.UUID(user_id),
        )
        stream = stack.users_env["USERS_EVENTS_STREAM"]
        redis = Redis.from_url(stack.users_env["USERS_REDIS_URL"])
        try:

            async def purged() -> dict[str, str] | None:
                for _, fields in await redis.xrange(stream):
                    entry = {k.decode(): v.decode() for k, v in fields.items()}
                    if entry["type"] == "user.purged" and entry["user_id"] == user_id:
                        return entry
                return None

            event = await eventually(purged, "user.purged on the stream")
        finally:
            await redis.aclose()
        assert json.loads(event["identities"]) == [{"provider": "e2e", "provider_user_id": "dave"}]
        gone = await sql(stack, "SELECT 1 FROM users.accounts WHERE id = $1", uuid.UUID(user_id))
        assert gone == []

        async def erased() -> bool:
            rows = await sql(
                stack,
                "SELECT client_ip, user_agent FROM auth.login_audit WHERE user_id = $1",
                uuid.UUID(user_id),
            )
            return bool(rows) and all(r["client_ip"] is None for r in rows)

        await eventually(erased, "the login audit's client details erased")

        # The identity is free again: the next sign-in is a new account.
        assert redirect(await sign_in(browser, "dave"))[0] == f"{FRONTEND}/login/success"
        fresh = (await http.get(f"{stack.users}/api/v1/users/me")).json()["user_id"]
        assert fresh != user_id


async def test_an_administrator_disables_an_account_its_token_dies_and_sign_in_is_refused(
    stack: Stack,
) -> None:
    admin = {"X-Admin-Token": ADMIN_TOKEN}
    async with httpx.AsyncClient(timeout=10.0) as http:
        browser = Browser(stack, http)
        assert redirect(await sign_in(browser, "erin"))[0] == f"{FRONTEND}/login/success"
        access = http.cookies["s_access"]
        user_id = (await http.get(f"{stack.users}/api/v1/users/me")).json()["user_id"]
        assert await validate(stack, http, access) == 200

        disabled = await http.post(
            f"{stack.users}/internal/v1/admin/users/{user_id}/disable", headers=admin
        )
        assert disabled.status_code == 200, disabled.text
        started = time.monotonic()
        await eventually(lambda: _equals(validate(stack, http, access), 401), "the token rejected")
        print(f"E2E-LIFECYCLE disable -> /validate 401 after {time.monotonic() - started:.3f} s")

        page, query = redirect(await sign_in(browser, "erin"))
        assert (page, query["error"]) == (f"{FRONTEND}/login/error", ["account_disabled"])

        audit = await http.get(
            f"{stack.auth}/internal/v1/admin/users/{user_id}/login-audit",
            params={"result": "failure"},
            headers=admin,
        )
        assert audit.status_code == 200, audit.text
        assert [item["reason"] for item in audit.json()["items"]] == ["account_disabled"]
        recorded = await sql(
            stack,
            "SELECT admin, action FROM users.admin_actions WHERE user_id = $1",
            uuid.UUID(user_id),
        )
        assert [(r["admin"], r["action"]) for r in recorded] == [("ops-kim", "disable")]
