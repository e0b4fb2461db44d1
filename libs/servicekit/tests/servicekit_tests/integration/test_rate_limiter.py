"""The Redis rate limit: exact under concurrency, across limiters sharing Redis, per
subject, fail-open when Redis does not answer; on a single Redis and on a cluster."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from prometheus_client import REGISTRY

from kernel.errors import RateLimitedError
from servicekit.rate_limiter import RateLimiter, RedisRateLimit
from servicekit.redis import RedisClient, create_redis
from testkit.fixtures import RedisTarget
from testkit.ports import free_port
from testkit.redis_namespace import redis_namespace

pytestmark = pytest.mark.redis_single_and_cluster

CONCURRENT = 200
LIMIT = 37


@pytest.fixture
def prefix(redis_target: RedisTarget) -> Iterator[str]:
    with redis_namespace(redis_target.url, "rate-limit", cluster=redis_target.cluster) as name:
        yield name


@pytest.fixture
async def redis(redis_target: RedisTarget) -> AsyncIterator[RedisClient]:
    client = redis_target.client()
    yield client
    await client.aclose()


async def outcomes(limit: RedisRateLimit, subjects: list[str | None]) -> list[int | None]:
    """Acquire once per subject, all at once; None for admitted, else `retry_after`
    (of a refusal that names the limit)."""

    async def one(subject: str | None) -> int | None:
        try:
            await limit.acquire(subject)
        except RateLimitedError as refused:
            return refused.retry_after if refused.limit == LIMIT else -1
        return None

    return list(await asyncio.gather(*(one(s) for s in subjects)))


def decisions(route: str, scope: str, decision: str) -> float:
    value = REGISTRY.get_sample_value(
        "rate_limit_decisions_total", {"route": route, "scope": scope, "decision": decision}
    )
    return value or 0.0


async def test_of_200_concurrent_requests_exactly_the_limit_is_admitted(
    redis: RedisClient, prefix: str
) -> None:
    limit = RateLimiter(redis, key_prefix=prefix).limit("refresh", "session", f"{LIMIT}/minute")
    before = decisions("refresh", "session", "deny")
    results = await outcomes(limit, ["s-1"] * CONCURRENT)
    assert results.count(None) == LIMIT
    refused = [r for r in results if r is not None]
    assert len(refused) == CONCURRENT - LIMIT
    assert all(0 < retry_after <= 60 for retry_after in refused)
    assert decisions("refresh", "session", "deny") - before == CONCURRENT - LIMIT


async def test_two_limiters_sharing_redis_admit_the_limit_between_them(
    redis_target: RedisTarget, prefix: str
) -> None:
    first, second = redis_target.client(), redis_target.client()
    try:
        limits = [
            RateLimiter(client, key_prefix=prefix).per_ip("authorize", f"{LIMIT}/minute")
            for client in (first, second)
        ]
        results = await asyncio.gather(
            *(outcomes(limit, ["203.0.113.9"] * (CONCURRENT // 2)) for limit in limits)
        )
    finally:
        await first.aclose()
        await second.aclose()
    assert sum(r.count(None) for r in results) == LIMIT


async def test_each_subject_has_its_own_window_and_an_ipv6_client_counts_by_its_64(
    redis: RedisClient, prefix: str
) -> None:
    limit = RateLimiter(redis, key_prefix=prefix).per_ip("logout", f"{LIMIT}/minute")
    results = await outcomes(
        limit,
        ["198.51.100.1"] * LIMIT
        + ["198.51.100.2"] * LIMIT
        + ["2001:db8:1:2::a"] * 20
        + ["2001:db8:1:2::b"] * 20  # the same /64: one window of 40
        + ["2001:db8:1:3::a"]
        + [None] * LIMIT
        + [None],
    )
    assert results[: 2 * LIMIT].count(None) == 2 * LIMIT
    assert results[2 * LIMIT : 2 * LIMIT + 40].count(None) == LIMIT
    assert results[2 * LIMIT + 40] is None  # another /64
    assert results[-LIMIT - 1 :].count(None) == LIMIT  # unknown clients share one window
    keys = {key.decode() async for key in redis.scan_iter(match=f"{prefix}*", count=1000)}
    assert f"{prefix}rate-limit:LIMITER/logout/ip/2001:db8:1:2::/64/{LIMIT}/1/minute" in keys
    assert f"{prefix}rate-limit:LIMITER/logout/ip/unknown/{LIMIT}/1/minute" in keys


async def test_the_window_moves_a_refused_request_is_not_counted(
    redis: RedisClient, prefix: str
) -> None:
    limit = RateLimiter(redis, key_prefix=prefix).limit("callback", "session", "2/second")
    await limit.acquire("s")
    await limit.acquire("s")
    with pytest.raises(RateLimitedError) as refused:
        await limit.acquire("s")
    assert refused.value.retry_after == 1
    await asyncio.sleep(1.05)  # the window is one second: both entries have left it
    await limit.acquire("s")
    await limit.acquire("s")
    with pytest.raises(RateLimitedError):
        await limit.acquire("s")


async def test_a_disabled_limiter_or_an_unset_rate_admits_all_without_redis(
    redis: RedisClient, prefix: str
) -> None:
    disabled = RateLimiter(redis, key_prefix=prefix, enabled=False).limit("a", "ip", "1/minute")
    unset = RateLimiter(redis, key_prefix=prefix).limit("b", "ip", None)
    assert (disabled.enabled, unset.enabled) == (False, False)
    for limit in (disabled, unset):
        assert await outcomes(limit, ["x"] * 5) == [None] * 5
    assert [key async for key in redis.scan_iter(match=f"{prefix}*", count=1000)] == []


async def test_with_redis_down_the_limit_fails_open_logs_and_counts(
    redis_target: RedisTarget, caplog: pytest.LogCaptureFixture
) -> None:
    down = create_redis(
        f"redis://127.0.0.1:{free_port()}/0", cluster=redis_target.cluster, timeout=0.5
    )
    route = f"route-{uuid.uuid4().hex[:8]}"
    limit = RateLimiter(down, key_prefix="down:").limit(route, "account", "1/minute")
    try:
        with caplog.at_level(logging.WARNING, logger="servicekit.rate_limiter"):
            await limit.acquire("a")
            await limit.acquire("a")  # over the limit, if it were checked
    finally:
        await down.aclose()
    assert decisions(route, "account", "fail_open") == 2
    assert decisions(route, "account", "allow") == decisions(route, "account", "deny") == 0
    warnings = [r for r in caplog.records if r.name == "servicekit.rate_limiter"]
    assert len(warnings) == 2
    assert "ConnectionError" in warnings[0].getMessage()
    assert (warnings[0].__dict__["route"], warnings[0].__dict__["scope"]) == (route, "account")
