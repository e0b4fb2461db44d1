"""Rate limits in Redis: the `limits` library's moving window on the service's redis-py pool.

One `RateLimiter` per process makes the limits of every route (`limit`, `per_ip`);
each is a `kernel.rate_limit.RateLimit` that a route, a FastAPI dependency or a use
case calls with its subject. Why these choices:

- **Moving window** (`limits.aio.strategies.MovingWindowRateLimiter`): a Redis list of
  the admitted requests' times per subject, checked and pushed by one Lua script, so
  concurrent requests on every replica sharing Redis never admit more than the limit
  in any window of its length (a fixed window admits twice the limit across its edge).
  A refused request is not recorded. Memory: up to `limit` entries per live subject.
- **redis-py** (`implementation="redispy"`): the client the services already use;
  the limiter shares the service's connection pool, key prefix and timeouts. On a
  Redis Cluster, the library's cluster storage (`async+redis+cluster://`) on the
  service's cluster client; each limit is one key, so any slot will do.
- **Fail open**: when Redis does not answer, the request is admitted, a WARNING is
  logged and `rate_limit_decisions_total{decision="fail_open"}` counts it. A limit
  protects a service; it must not become the reason the service is down.

Keys: `{service prefix}rate-limit:LIMITER/{route}/{scope}/{subject}/{amount}/{multiples}/{unit}`,
expiring with their window.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import time
from collections.abc import Callable

from limits import RateLimitItem, parse
from limits.aio.storage import RedisClusterStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import RedisCluster

from kernel.error_chain import describe_error
from kernel.errors import RateLimitedError
from kernel.rate_limit import RateLimit
from servicekit.metrics import RATE_LIMIT_DECISIONS
from servicekit.redis import RedisClient

logger = logging.getLogger(__name__)

UNKNOWN_SUBJECT = "unknown"
IPV6_PREFIX = 64


class RedisRateLimit(RateLimit):
    """One route's limit on one scope of subject, e.g. `refresh` per `ip`."""

    def __init__(
        self,
        strategy: MovingWindowRateLimiter,
        *,
        route: str,
        scope: str,
        item: RateLimitItem | None,
        subject_of: Callable[[str], str] | None = None,
    ) -> None:
        self.route = route
        self.scope = scope
        self.item = item
        self._strategy = strategy
        self._subject_of = subject_of
        self._allow = RATE_LIMIT_DECISIONS.labels(route, scope, "allow")
        self._deny = RATE_LIMIT_DECISIONS.labels(route, scope, "deny")
        self._fail_open = RATE_LIMIT_DECISIONS.labels(route, scope, "fail_open")

    @property
    def enabled(self) -> bool:
        return self.item is not None

    async def acquire(self, subject: str | None) -> None:
        item = self.item
        if item is None:
            return
        if subject is None:
            subject = UNKNOWN_SUBJECT
        elif self._subject_of is not None:
            subject = self._subject_of(subject)
        try:
            admitted = await self._strategy.hit(item, self.route, self.scope, subject)
        except StorageError as exc:
            self._fail_open.inc()
            logger.warning(
                "rate limit not checked, request admitted: %s",
                describe_error(exc.storage_error),
                extra={"route": self.route, "scope": self.scope},
            )
            return
        if admitted:
            self._allow.inc()
            return
        self._deny.inc()
        raise RateLimitedError(limit=item.amount, retry_after=await self._retry_after(subject))

    async def _retry_after(self, subject: str) -> int:
        """Seconds until the oldest entry of the full window leaves it (a whole window
        when that cannot be read)."""
        assert self.item is not None
        try:
            stats = await self._strategy.get_window_stats(
                self.item, self.route, self.scope, subject
            )
        except StorageError:
            return self.item.get_expiry()
        return math.ceil(stats.reset_time - time.time())


class RateLimiter:
    """Makes the limits of one service, all in one Redis under one key prefix.

    With ``enabled`` false every limit it makes admits everything without a Redis call.
    """

    def __init__(self, redis: RedisClient, *, key_prefix: str, enabled: bool = True) -> None:
        storage: RedisStorage
        if isinstance(redis, RedisCluster):
            storage = _SharedClusterStorage(redis, key_prefix=f"{key_prefix}rate-limit")
        else:
            storage = RedisStorage(
                "async+redis://",
                implementation="redispy",
                key_prefix=f"{key_prefix}rate-limit",
                wrap_exceptions=True,
                connection_pool=redis.connection_pool,  # type: ignore[arg-type]
            )
        self._strategy = MovingWindowRateLimiter(storage)
        self.enabled = enabled

    def limit(self, route: str, scope: str, rate: str | None) -> RedisRateLimit:
        """The limit of ``route`` per ``scope`` (a session, an account, a service), at
        ``rate`` (`limits` notation, e.g. ``10/minute``); None: no limit."""
        return RedisRateLimit(self._strategy, route=route, scope=scope, item=self._item(rate))

    def per_ip(self, route: str, rate: str | None) -> RedisRateLimit:
        """The limit of ``route`` per client address: an IPv6 client counts by its /64
        (one subscriber's allocation), an IPv4 client by its address."""
        return RedisRateLimit(
            self._strategy,
            route=route,
            scope="ip",
            item=self._item(rate),
            subject_of=address_bucket,
        )

    def _item(self, rate: str | None) -> RateLimitItem | None:
        return parse(rate) if rate is not None and self.enabled else None


class _SharedClusterStorage(RedisClusterStorage):
    """`limits`' cluster storage on the service's own cluster client.

    The library builds a client of its own from the URI (its options cannot name an
    existing one); its redis-py bridge keeps the client it talks to in `storage`, so
    this hands it ours instead: one pool, the same timeouts, the same bounded waiting.
    """

    def __init__(self, client: RedisCluster, *, key_prefix: str) -> None:
        self._client = client
        super().__init__(
            "async+redis+cluster://",
            implementation="redispy",
            key_prefix=key_prefix,
            wrap_exceptions=True,
        )

    def configure_bridge(self) -> None:
        client = self._client
        self.bridge.storage = client  # type: ignore[attr-defined]
        self.bridge.connection_getter = lambda _readonly: client  # type: ignore[attr-defined]


def address_bucket(address: str) -> str:
    """The subject an address is limited as: an IPv4 address itself (also when written
    as IPv4-mapped IPv6), an IPv6 address its /64 network (anything else, as given).
    Only a text with a colon can be IPv6: the rest is returned as it is, without a
    parse or a cache entry (most clients are IPv4, and they outnumber any cache)."""
    if ":" not in address:
        return address
    return _ipv6_bucket(address)


@functools.lru_cache(maxsize=4096)
def _ipv6_bucket(address: str) -> str:
    try:
        parsed = ipaddress.IPv6Address(address)
    except ValueError:
        return address
    if parsed.ipv4_mapped is not None:  # an IPv4 client seen by a dual-stack socket
        return str(parsed.ipv4_mapped)
    return str(ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False))
