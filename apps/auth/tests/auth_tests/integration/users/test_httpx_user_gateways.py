"""The users client against a real local HTTP server speaking the internal API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import pytest

from auth.application.users.dto.identity import EndedLink, ExternalIdentity
from auth.application.users.exceptions.account import (
    AccountDisabledError,
    AccountPendingDeletionError,
)
from auth.application.users.exceptions.gateway import (
    UserServiceRejectedError,
    UserServiceUnavailableError,
)
from auth.application.users.exceptions.link import (
    AccountAlreadyLinkedError,
    ProviderAlreadyLinkedError,
)
from auth.infrastructure.users_client.circuit_breaker import BreakerState, CircuitBreaker
from auth.infrastructure.users_client.httpx_user_gateways import (
    HttpxUserCommandGateway,
    HttpxUserQueryGateway,
)
from auth.infrastructure.users_client.users_api_client import UsersApiClient
from auth_tests.integration.fakes.local_server import serve
from auth_tests.integration.fakes.users_api import TOKEN, FakeUsersApi
from testkit.clock import ManualClock
from testkit.ports import free_port

IDENTITY = ExternalIdentity(
    provider="kakao",
    provider_user_id="4242",
    email="eco@example.com",
    email_verified=True,
    nickname="eco",
    profile_image_url=None,
)


class Harness:
    def __init__(self, http: httpx.AsyncClient, token: str = TOKEN) -> None:
        self.clock = ManualClock()
        self.sleeps: list[float] = []
        self.breaker = CircuitBreaker(
            failure_threshold=2, probe_interval=timedelta(seconds=0.5), clock=self.clock
        )

        async def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        self.client = UsersApiClient(
            http,
            service_token=token,
            timeout_seconds=2.0,
            max_attempts=3,
            backoff_seconds=0.1,
            breaker=self.breaker,
            sleep=sleep,
        )
        self.commands = HttpxUserCommandGateway(self.client)


@pytest.fixture
async def api() -> AsyncIterator[tuple[FakeUsersApi, httpx.AsyncClient]]:
    fake = FakeUsersApi()
    async with serve(fake.app()) as base_url, httpx.AsyncClient(base_url=base_url) as http:
        yield fake, http


async def test_get_or_create_is_idempotent(api) -> None:
    fake, http = api
    users = Harness(http)
    first = await users.commands.get_or_create(IDENTITY)
    assert list(fake.users) == [str(first.user_id)]  # created by the first call
    second = await users.commands.get_or_create(IDENTITY)
    assert list(fake.users) == [str(first.user_id)]  # not by the second
    assert first.user_id == second.user_id
    stored = fake.users[str(second.user_id)]
    assert (stored["nickname"], stored["email"]) == ("eco", "eco@example.com")


async def test_record_login_posts_the_provider(api) -> None:
    fake, http = api
    user_id = UUID(int=7)
    await Harness(http).commands.record_login(user_id, "naver")
    assert fake.logins == [(str(user_id), "naver")]


async def test_idempotent_calls_are_retried_through_503_and_504_with_growing_backoff(api) -> None:
    fake, http = api
    fake.fail_with = [503, 504]
    users = Harness(http)
    account = await users.commands.get_or_create(IDENTITY)
    assert list(fake.users) == [str(account.user_id)]  # created once, through the retries
    assert fake.requests.count(("POST", "/internal/v1/identities")) == 3
    assert len(users.sleeps) == 2
    assert 0.05 <= users.sleeps[0] <= 0.1
    assert 0.1 <= users.sleeps[1] <= 0.2
    assert users.breaker.state is BreakerState.CLOSED


async def test_a_non_idempotent_call_is_sent_once(api) -> None:
    fake, http = api
    fake.fail_with = [503]
    users = Harness(http)
    with pytest.raises(UserServiceUnavailableError):
        await users.commands.record_login(UUID(int=1), "kakao")
    assert fake.requests == [("POST", f"/internal/v1/users/{UUID(int=1)}/logins")]
    assert users.sleeps == []


async def test_a_wrong_service_token_is_rejected_not_retried(api) -> None:
    fake, http = api
    users = Harness(http, token="wrong")
    with pytest.raises(UserServiceRejectedError, match="401"):
        await users.commands.get_or_create(IDENTITY)
    assert len(fake.requests) == 1
    assert users.breaker.state is BreakerState.CLOSED


async def test_a_500_is_rejected_once_and_never_opens_the_circuit(api) -> None:
    fake, http = api
    fake.fail_with = [500] * 5
    users = Harness(http)
    for _ in range(5):
        with pytest.raises(UserServiceRejectedError, match="500"):
            await users.commands.get_or_create(IDENTITY)
    assert len(fake.requests) == 5
    assert users.breaker.state is BreakerState.CLOSED
    account = await users.commands.get_or_create(IDENTITY)
    assert list(fake.users) == [str(account.user_id)]


async def test_connection_refused_is_retried_then_opens_the_circuit() -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port()}") as http:
        users = Harness(http)
        for _ in range(2):
            with pytest.raises(UserServiceUnavailableError, match="ConnectError"):
                await users.commands.get_or_create(IDENTITY)
        assert len(users.sleeps) == 4
        assert users.breaker.state is BreakerState.OPEN
        with pytest.raises(UserServiceUnavailableError, match="circuit is open"):
            await users.commands.record_login(UUID(int=2), "kakao")
        assert len(users.sleeps) == 4


async def test_a_sign_in_refused_as_pending_deletion_names_the_account_and_its_date(api) -> None:
    fake, http = api
    users = Harness(http)
    account = await users.commands.get_or_create(IDENTITY)
    fake.refusals[str(account.user_id)] = {
        "code": "ACCOUNT_PENDING_DELETION",
        "detail": "scheduled",
        "user_id": str(account.user_id),
        "purge_after": "2026-12-29T12:00:00+00:00",
    }
    with pytest.raises(AccountPendingDeletionError) as raised:
        await users.commands.get_or_create(IDENTITY)
    assert (raised.value.user_id, raised.value.purge_after) == (
        account.user_id,
        datetime(2026, 12, 29, 12, 0, tzinfo=UTC),
    )
    with pytest.raises(AccountPendingDeletionError):
        await users.commands.record_login(account.user_id, "kakao")
    # users answered: no retry, and the breaker counts it as up.
    assert users.sleeps == []
    assert users.breaker.state is BreakerState.CLOSED


async def test_a_sign_in_refused_as_disabled_is_account_disabled(api) -> None:
    fake, http = api
    users = Harness(http)
    account = await users.commands.get_or_create(IDENTITY)
    fake.refusals[str(account.user_id)] = {
        "code": "ACCOUNT_DISABLED",
        "detail": "disabled",
        "user_id": str(account.user_id),
    }
    with pytest.raises(AccountDisabledError) as raised:
        await users.commands.get_or_create(IDENTITY)
    assert raised.value.user_id == account.user_id


@pytest.mark.parametrize(
    "body",
    [
        {"code": "ACCOUNT_PENDING_DELETION", "detail": "no account named"},
        {"code": "ACCOUNT_PENDING_DELETION", "user_id": "x", "purge_after": "soon"},
        {"code": "PERMISSION_DENIED", "detail": "something else"},
    ],
    ids=["pending without its account", "pending with garbage", "another 403"],
)
async def test_any_other_403_is_a_rejection(api, body: dict[str, str]) -> None:
    fake, http = api
    users = Harness(http)
    account = await users.commands.get_or_create(IDENTITY)
    fake.refusals[str(account.user_id)] = body
    with pytest.raises(UserServiceRejectedError):
        await users.commands.get_or_create(IDENTITY)


async def test_link_lookup_and_end_of_a_link_speak_the_internal_api(api) -> None:
    fake, http = api
    users = Harness(http)
    queries = HttpxUserQueryGateway(users.client)
    owner = (await users.commands.get_or_create(IDENTITY)).user_id
    google = replace(IDENTITY, provider="google", provider_user_id="g/+1")
    await users.commands.link_identity(owner, google)
    await users.commands.link_identity(owner, google)  # idempotent: 200
    assert await queries.find_user_by_identity("google", "g/+1") == owner
    assert await queries.find_user_by_identity("google", "g") is None

    stranger = (await users.commands.get_or_create(replace(IDENTITY, provider_user_id="1"))).user_id
    with pytest.raises(AccountAlreadyLinkedError):
        await users.commands.link_identity(stranger, google)
    with pytest.raises(ProviderAlreadyLinkedError):
        await users.commands.link_identity(owner, replace(google, provider_user_id="g2"))
    with pytest.raises(UserServiceRejectedError):  # 404 USER_NOT_FOUND
        await users.commands.link_identity(UUID(int=1), replace(google, provider="naver"))

    assert await users.commands.end_identity_link("google", "g/+1") == EndedLink(owner, False)
    assert await users.commands.end_identity_link("google", "g/+1") is None
    assert await users.commands.end_identity_link("kakao", "4242") == EndedLink(owner, True)
    assert fake.deleted == [str(owner)]


async def test_an_unreadable_end_of_a_link_is_unavailable_not_a_guess(api) -> None:
    fake, http = api
    users = Harness(http)
    fake.fail_with = [200]  # answers 200 with a body that is not the contract's
    with pytest.raises(UserServiceUnavailableError):
        await users.commands.end_identity_link("kakao", "4242")
