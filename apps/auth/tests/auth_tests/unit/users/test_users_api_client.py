"""UsersApiClient's policy over an in-memory transport: what is retried, what counts
against the breaker, and what comes back to the caller as the users' answer."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from uuid import UUID

import httpx
import pytest

from auth.application.users.dto.identity import ExternalIdentity
from auth.application.users.exceptions.gateway import (
    UserServiceRejectedError,
    UserServiceUnavailableError,
)
from auth.infrastructure.users_client.circuit_breaker import BreakerState, CircuitBreaker
from auth.infrastructure.users_client.httpx_user_gateways import HttpxUserCommandGateway
from auth.infrastructure.users_client.users_api_client import UsersApiClient
from testkit.clock import ManualClock

THRESHOLD = 2
IDENTITY = ExternalIdentity(
    provider="kakao",
    provider_user_id="4242",
    email=None,
    email_verified=False,
    nickname="eco",
    profile_image_url=None,
)
USER_ID = UUID("0192f0c8-5d2a-7c3e-9a41-2b7f0c1d9e88")
ACCOUNT = {"user_id": str(USER_ID), "created": True}
Outcome = int | type[httpx.TransportError]


class Users:
    """A scripted users service: each request gets the next outcome (a status, or a
    transport error raised), then 200 with an account."""

    def __init__(self, *outcomes: Outcome) -> None:
        self.outcomes = list(outcomes)
        self.bodies: list[bytes] = []
        self.sleeps: list[float] = []
        self.clock = ManualClock()
        self.breaker = CircuitBreaker(
            failure_threshold=THRESHOLD, probe_interval=timedelta(seconds=0.5), clock=self.clock
        )

        async def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        http = httpx.AsyncClient(
            transport=httpx.MockTransport(self._handle), base_url="http://users.test"
        )
        self.client = UsersApiClient(
            http,
            service_token="token",
            timeout_seconds=1.0,
            max_attempts=3,
            backoff_seconds=0.1,
            breaker=self.breaker,
            sleep=sleep,
        )
        self.gateway = HttpxUserCommandGateway(self.client)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.content)
        outcome = self.outcomes.pop(0) if self.outcomes else 200
        if isinstance(outcome, int):
            body = ACCOUNT if outcome == 200 else {"code": "SCRIPTED", "detail": "scripted"}
            return httpx.Response(outcome, json=body)
        raise outcome("scripted", request=request)

    @property
    def calls(self) -> int:
        return len(self.bodies)


TRANSPORT_ERRORS = [
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.PoolTimeout,
    httpx.ReadError,
    httpx.RemoteProtocolError,
]


@pytest.mark.parametrize("transient", [503, 504, *TRANSPORT_ERRORS])
async def test_a_transient_failure_of_an_idempotent_call_is_retried(transient: Outcome) -> None:
    users = Users(transient, transient)
    account = await users.gateway.get_or_create(IDENTITY)
    assert account.user_id == USER_ID
    assert users.calls == 3
    assert len(users.sleeps) == 2
    assert users.breaker.state is BreakerState.CLOSED


@pytest.mark.parametrize("transient", [503, httpx.ConnectError, httpx.ReadTimeout])
async def test_persistent_transient_failures_count_once_per_call_and_open_the_breaker(
    transient: Outcome,
) -> None:
    users = Users(*[transient] * 3 * THRESHOLD)
    for _ in range(THRESHOLD):
        with pytest.raises(UserServiceUnavailableError):
            await users.gateway.get_or_create(IDENTITY)
    assert users.calls == 3 * THRESHOLD
    assert users.breaker.state is BreakerState.OPEN
    with pytest.raises(UserServiceUnavailableError, match="circuit is open"):
        await users.gateway.get_or_create(IDENTITY)
    assert users.calls == 3 * THRESHOLD


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 500, 501, 502])
async def test_a_definite_answer_is_sent_once_and_is_a_rejection(status: int) -> None:
    users = Users(status)
    with pytest.raises(UserServiceRejectedError, match=f"{status} SCRIPTED"):
        await users.gateway.get_or_create(IDENTITY)
    assert users.calls == 1
    assert users.sleeps == []


@pytest.mark.parametrize("status", [422, 500])
async def test_definite_answers_never_open_the_breaker(status: int) -> None:
    users = Users(*[status] * 5 * THRESHOLD)
    for _ in range(5 * THRESHOLD):
        with pytest.raises(UserServiceRejectedError):
            await users.gateway.get_or_create(IDENTITY)
    assert users.breaker.state is BreakerState.CLOSED
    assert (await users.gateway.get_or_create(IDENTITY)).user_id == USER_ID


async def test_a_definite_answer_to_a_probe_closes_the_breaker() -> None:
    users = Users(*[httpx.ConnectError] * 3 * THRESHOLD, 422)
    for _ in range(THRESHOLD):
        with pytest.raises(UserServiceUnavailableError):
            await users.gateway.get_or_create(IDENTITY)
    users.clock.advance(0.5)
    with pytest.raises(UserServiceRejectedError):
        await users.gateway.get_or_create(IDENTITY)
    assert users.breaker.state is BreakerState.CLOSED


@pytest.mark.parametrize("transient", [503, httpx.ConnectError])
async def test_a_non_idempotent_call_is_sent_once_and_its_failure_counts(
    transient: Outcome,
) -> None:
    users = Users(*[transient] * THRESHOLD)
    for _ in range(THRESHOLD):
        with pytest.raises(UserServiceUnavailableError):
            await users.gateway.record_login(UUID(int=7), "kakao")
    assert users.calls == THRESHOLD
    assert users.sleeps == []
    assert users.breaker.state is BreakerState.OPEN


async def test_any_text_is_sent_as_ascii_json_for_the_users_service_to_judge() -> None:
    users = Users(422)
    nickname = f"eco{chr(0xD800)}\x00지구"
    with pytest.raises(UserServiceRejectedError):
        await users.gateway.get_or_create(replace(IDENTITY, nickname=nickname))
    [body] = users.bodies
    assert body.isascii()
    assert json.loads(body)["nickname"] == nickname
