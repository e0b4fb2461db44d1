"""users with its PostgreSQL stopped for 5 s: every API call answers 503
DEPENDENCY_UNAVAILABLE (never a 500), and serves again within a second of the restart."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from servicekit.migrations import upgrade
from testkit.own_servers import OwnPostgres, own_postgres
from users.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from users.infrastructure.persistence_postgres.registry import SCHEMA
from users.setup.app import create_app
from users.setup.settings import UsersSettings
from users_tests.conftest import AuthHeaders
from users_tests.factories import INTERNAL_TOKEN, identity_body

OUTAGE_SECONDS = 5.0
UNAVAILABLE = {
    "code": "DEPENDENCY_UNAVAILABLE",
    "detail": "A dependency is unavailable; try again later.",
}


@pytest.fixture
def postgres() -> Iterator[OwnPostgres]:
    """A PostgreSQL of this test's own (it stops it), with the users schema migrated."""
    with own_postgres() as server:
        server.create_database("users")
        upgrade(SCRIPT_LOCATION, server.url("users"), SCHEMA)
        yield server


@pytest.fixture
async def users_api(
    settings: UsersSettings, postgres: OwnPostgres
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"database_url": SecretStr(postgres.url("users"))}))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://users.test") as client,
    ):
        yield client


async def test_a_database_outage_is_503_throughout_and_recovers_within_a_second(
    users_api: httpx.AsyncClient, postgres: OwnPostgres, auth_headers: AuthHeaders
) -> None:
    internal = {"X-Service-Token": INTERNAL_TOKEN}
    identity = identity_body()
    created = await users_api.post("/internal/v1/identities", json=identity, headers=internal)
    assert created.status_code == 200, created.text
    me = auth_headers(created.json()["user_id"])
    lookup = {"provider": identity["provider"], "provider_user_id": identity["provider_user_id"]}

    def calls() -> list[Coroutine[Any, Any, httpx.Response]]:
        return [
            users_api.get("/api/v1/users/me", headers=me),
            users_api.patch("/api/v1/users/me", json={"nickname": "바다지킴이"}, headers=me),
            users_api.get("/api/v1/users/me/characters", headers=me),
            users_api.get("/api/v1/users/me/social-accounts", headers=me),
            users_api.post("/internal/v1/identities", json=identity_body(), headers=internal),
            users_api.get("/internal/v1/identities", params=lookup, headers=internal),
        ]

    await asyncio.to_thread(postgres.stop)
    answers: list[tuple[int, object]] = []
    ends = time.monotonic() + OUTAGE_SECONDS
    for _ in range(100):  # bounded: ~0.2 s a round, about 25 rounds
        if time.monotonic() >= ends:
            break
        for response in await asyncio.gather(*calls()):
            answers.append((response.status_code, response.json()))
        await asyncio.sleep(0.2)
    print(f"users during a {OUTAGE_SECONDS:.0f} s PostgreSQL outage: {len(answers)} calls")
    assert len(answers) >= 60
    assert {(status, str(body)) for status, body in answers} == {(503, str(UNAVAILABLE))}

    await asyncio.to_thread(postgres.start)
    started = time.perf_counter()
    for _ in range(200):  # bounded: at most ~2 s
        if (await users_api.get("/api/v1/users/me", headers=me)).status_code == 200:
            break
        await asyncio.sleep(0.01)
    recovery = time.perf_counter() - started
    print(f"users recovery after PostgreSQL came back: {recovery * 1000:.1f} ms")
    assert recovery <= 1.0
    for response in await asyncio.gather(*calls()):
        assert response.status_code == 200, response.text
