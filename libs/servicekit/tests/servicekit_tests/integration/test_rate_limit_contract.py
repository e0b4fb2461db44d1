"""One contract for the in-memory RateLimit use-case tests rely on and the Redis one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from kernel.errors import RateLimitedError
from kernel.rate_limit import RateLimit
from servicekit.rate_limiter import RateLimiter
from testkit.fixtures import RedisTarget
from testkit.rate_limit import InMemoryRateLimit
from testkit.redis_namespace import redis_namespace

pytestmark = pytest.mark.redis_single_and_cluster

LIMIT = 3


@pytest.fixture
def prefix(redis_target: RedisTarget) -> Iterator[str]:
    with redis_namespace(redis_target.url, "rate-limit-contract", cluster=redis_target.cluster) as (
        namespace
    ):
        yield namespace


@pytest.fixture(params=["in-memory", "redis"])
async def limit(
    request: pytest.FixtureRequest, redis_target: RedisTarget, prefix: str
) -> AsyncIterator[RateLimit]:
    if request.param == "in-memory":
        yield InMemoryRateLimit(LIMIT)
        return
    client = redis_target.client()
    try:
        yield RateLimiter(client, key_prefix=prefix).limit("route", "session", f"{LIMIT}/hour")
    finally:
        await client.aclose()


async def test_admits_the_limit_then_refuses_with_the_limit_and_a_retry(limit: RateLimit) -> None:
    for _ in range(LIMIT):
        await limit.acquire("a")
    for _ in range(2):  # a refused request is not counted: the answer stays the same
        with pytest.raises(RateLimitedError) as refused:
            await limit.acquire("a")
        assert refused.value.limit == LIMIT
        assert refused.value.retry_after >= 1
        assert refused.value.code == "RATE_LIMITED"


async def test_subjects_are_counted_apart_and_none_is_one_subject(limit: RateLimit) -> None:
    for _ in range(LIMIT):
        await limit.acquire("a")
        await limit.acquire(None)
    await limit.acquire("b")
    with pytest.raises(RateLimitedError):
        await limit.acquire(None)
