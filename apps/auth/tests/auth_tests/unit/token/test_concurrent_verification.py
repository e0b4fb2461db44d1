"""`verify_concurrently`: signatures checked on a worker thread decide exactly as on the loop."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from auth.application.token.exceptions.token import (
    TokenExpiredError,
    TokenInvalidError,
    TokenMalformedError,
    TokenTypeInvalidError,
)
from auth.domain.token.token_type import TokenType
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth.infrastructure.security.key_set import KeySet
from auth.infrastructure.security.verified_token_cache import VerifiedTokenCache
from testkit.clock import ManualClock
from testkit.hostile_input import HOSTILE_TOKENS

USER = uuid.UUID("0190f000-0000-7000-8000-0000000000b1")


class CountingExecutor(ThreadPoolExecutor):
    """A one-thread pool that counts what it was given."""

    def __init__(self) -> None:
        super().__init__(1)
        self.submitted = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


@pytest.fixture
def executor() -> Iterator[CountingExecutor]:
    pool = CountingExecutor()
    yield pool
    pool.shutdown()


def threaded_issuer(
    keys: KeySet, clock: ManualClock, executor: CountingExecutor, *, cached: bool
) -> Ed25519TokenIssuer:
    return Ed25519TokenIssuer(
        keys,
        issuer="eco2-auth",
        audience="eco2-api",
        access_ttl=timedelta(minutes=15),
        refresh_ttl=timedelta(days=1),
        clock=clock,
        cache=VerifiedTokenCache(100) if cached else None,
        executor=executor,
    )


async def test_a_valid_token_verifies_on_the_thread_as_on_the_loop(
    keys: KeySet, clock: ManualClock, executor: CountingExecutor
) -> None:
    issuer = threaded_issuer(keys, clock, executor, cached=False)
    pair = issuer.issue_pair(user_id=USER, provider="kakao", session_id="s1", now=clock.now())
    claims = await issuer.verify_concurrently(pair.access_token, TokenType.ACCESS)
    assert claims == issuer.verify(pair.access_token, TokenType.ACCESS)
    assert (claims.user_id, claims.session_id, claims.provider) == (USER, "s1", "kakao")
    assert executor.submitted == 1


async def test_an_altered_signature_is_invalid_through_the_thread(
    keys: KeySet, clock: ManualClock, executor: CountingExecutor
) -> None:
    issuer = threaded_issuer(keys, clock, executor, cached=True)
    token = issuer.issue_pair(
        user_id=USER, provider="kakao", session_id="s1", now=clock.now()
    ).access_token
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(TokenInvalidError):
        await issuer.verify_concurrently(altered, TokenType.ACCESS)
    assert executor.submitted == 1
    with pytest.raises(TokenInvalidError):  # a failed check is not remembered
        await issuer.verify_concurrently(altered, TokenType.ACCESS)
    assert executor.submitted == 2


async def test_a_cached_token_needs_no_thread_and_still_expires(
    keys: KeySet, clock: ManualClock, executor: CountingExecutor
) -> None:
    issuer = threaded_issuer(keys, clock, executor, cached=True)
    pair = issuer.issue_pair(user_id=USER, provider="kakao", session_id="s1", now=clock.now())
    first = await issuer.verify_concurrently(pair.access_token, TokenType.ACCESS)
    assert await issuer.verify_concurrently(pair.access_token, TokenType.ACCESS) == first
    assert executor.submitted == 1
    with pytest.raises(TokenTypeInvalidError):
        await issuer.verify_concurrently(pair.refresh_token, TokenType.ACCESS)
    clock.advance(timedelta(minutes=15))
    with pytest.raises(TokenExpiredError):
        await issuer.verify_concurrently(pair.access_token, TokenType.ACCESS)


@HOSTILE_TOKENS
async def test_a_hostile_token_is_refused_before_any_thread_is_asked(
    keys: KeySet, clock: ManualClock, executor: CountingExecutor, token: str
) -> None:
    issuer = threaded_issuer(keys, clock, executor, cached=True)
    with pytest.raises(TokenMalformedError):
        await issuer.verify_concurrently(token, TokenType.ACCESS)
    assert executor.submitted == 0
