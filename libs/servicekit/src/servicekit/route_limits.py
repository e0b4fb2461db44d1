"""The rate limits of one service's routes, by route and scope.

Built once per process from the service's `RateLimitSettings` (see
`servicekit.rate_limiter` for the strategy, the keys and why it fails open). Each
service's `setup.dependencies` hands them out: as a FastAPI dependency limiting a route
per client address, as a plain function for a bare Starlette route, and as the
`kernel.rate_limit.RateLimit` port of a use case that limits per session, account or
calling service.
"""

from __future__ import annotations

from collections.abc import Mapping

from servicekit.rate_limiter import RateLimiter, RedisRateLimit
from servicekit.redis import RedisClient
from servicekit.settings import RateLimitSettings


class RouteLimits:
    """Every limit by route and scope (`ip`, `session`, `account`, `service`)."""

    def __init__(
        self, limiter: RateLimiter, routes: Mapping[str, Mapping[str, str | None]]
    ) -> None:
        self._limits = {
            (route, scope): (
                limiter.per_ip(route, rate) if scope == "ip" else limiter.limit(route, scope, rate)
            )
            for route, scopes in routes.items()
            for scope, rate in scopes.items()
        }

    @classmethod
    def build(
        cls, redis: RedisClient, settings: RateLimitSettings, *, key_prefix: str
    ) -> RouteLimits:
        """The limits `settings` declare, in `redis` under `key_prefix`."""
        limiter = RateLimiter(redis, key_prefix=key_prefix, enabled=settings.enabled)
        return cls(limiter, settings.routes())

    def get(self, route: str, scope: str) -> RedisRateLimit:
        """The limit of ``route`` per ``scope``.

        :raises LookupError: the settings declare no such route and scope (a bug).
        """
        try:
            return self._limits[(route, scope)]
        except KeyError:
            raise LookupError(f"no rate limit setting for route {route!r} per {scope}") from None
