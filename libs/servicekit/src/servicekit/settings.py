"""Settings every service has; each service subclasses with its own env prefix."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal
from urllib.parse import urlsplit

from limits import parse
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

Profile = Literal["local", "test", "dev", "prod"]

_ADMIN_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


_NO_LIMIT = frozenset({"", "off", "none", "null"})


def _no_limit(value: object) -> object:
    return None if isinstance(value, str) and value.strip().lower() in _NO_LIMIT else value


def _rate(value: str | None) -> str | None:
    if value is not None and parse(value).amount < 1:
        raise ValueError("a rate admits at least 1 request; set it to `off` for no limit")
    return value


Rate = Annotated[str | None, BeforeValidator(_no_limit), AfterValidator(_rate)]
"""A rate limit in the `limits` notation (`10/minute`, `100 per second`, `5/2 minutes`),
or `off` (also empty or `none`): no limit. A malformed one stops the process at start."""


class RouteRates(BaseModel):
    """The limits of one route, one field per scope: `per_ip`, `per_session`, ... (a
    subclass declares the scopes the route has)."""

    model_config = ConfigDict(frozen=True)


class RateLimitSettings(BaseModel):
    """Rate limits of a service: `enabled`, then one `RouteRates` field per route.

    A subclass adds its routes with their defaults; `routes()` is what
    `servicekit.route_limits.RouteLimits` is built from.
    """

    model_config = ConfigDict(frozen=True)

    enabled: bool = Field(True, description="false: no limit is checked (and Redis is not asked).")

    def routes(self) -> dict[str, dict[str, str | None]]:
        """Route → scope (`ip`, `session`, ...) → rate."""
        return {
            name: {scope.removeprefix("per_"): rate for scope, rate in value.model_dump().items()}
            for name, value in self
            if isinstance(value, RouteRates)
        }


class ServiceSettings(BaseSettings):
    """Common settings. Secrets are `SecretStr`, so they never reach a log or repr."""

    ADMIN_SECRET_MIN_LEN: ClassVar[int] = 32

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    profile: Profile = Field(
        "local", description="local/test allow dev conveniences; dev/prod do not."
    )
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    workers: int = Field(1, ge=1, description="uvicorn worker processes")
    database_url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/eco2")
    database_pool_size: int = Field(10, ge=1)
    redis_url: SecretStr = SecretStr("redis://127.0.0.1:6379/0")
    redis_cluster: bool = Field(
        False,
        description="true: `redis_url` names one node of a Redis Cluster (the client finds "
        "the others); false: a single Redis.",
    )
    redis_max_connections: int = Field(
        64,
        ge=1,
        description="Connections to Redis (on a cluster: to each node); a command "
        "waits up to the client timeout for one to be free.",
    )
    redis_replica_acks: int | None = Field(
        None,
        ge=0,
        description="Writes that must survive a failover (sessions, revocations, published "
        "events) wait until this many replicas hold them (WAIT), else fail as Redis being "
        "unavailable. Unset: 1 on a cluster, 0 on a single Redis.",
    )
    redis_key_prefix: str = Field(
        "eco2:", description="Prefix of every Redis key and stream this service uses."
    )
    admin_credentials: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="Credentials of the internal admin API (/internal/v1/admin), a JSON "
        "object name -> secret; the name is the administrator every audit records. "
        "Empty: the admin API refuses every call.",
    )

    @model_validator(mode="after")
    def _check_admin_credentials(self) -> ServiceSettings:
        """Names are lower-case words (they go into audits); secrets are distinct, and
        at least ``ADMIN_SECRET_MIN_LEN`` characters outside the local/test profiles."""
        secrets = [secret.get_secret_value() for secret in self.admin_credentials.values()]
        for name, secret in zip(self.admin_credentials, secrets, strict=True):
            if not _ADMIN_NAME.fullmatch(name):
                raise ValueError(f"admin credential name {name!r} is not [a-z0-9._-], 1-64")
            if not secret or (not self.is_local and len(secret) < self.ADMIN_SECRET_MIN_LEN):
                raise ValueError(
                    f"admin credential {name!r} must be at least {self.ADMIN_SECRET_MIN_LEN} "
                    "characters outside the local/test profiles (and never empty)"
                )
        if len(set(secrets)) != len(secrets):
            raise ValueError("two admin credentials share a secret: each names one administrator")
        return self

    @model_validator(mode="after")
    def _check_redis(self) -> ServiceSettings:
        """A brace in the prefix would be a hash tag (every key on one cluster slot); a
        cluster has only database 0."""
        if "{" in self.redis_key_prefix or "}" in self.redis_key_prefix:
            raise ValueError("the Redis key prefix must not contain `{` or `}` (a hash tag)")
        database = urlsplit(self.redis_url.get_secret_value()).path
        if self.redis_cluster and database not in ("", "/", "/0"):
            raise ValueError("a Redis Cluster has only database 0: drop the /<db> of the URL")
        return self

    @property
    def replica_acks(self) -> int:
        """How many replicas a durable write waits for (see `redis_replica_acks`)."""
        if self.redis_replica_acks is not None:
            return self.redis_replica_acks
        return 1 if self.redis_cluster else 0

    @property
    def is_local(self) -> bool:
        """True for the profiles where generated keys and insecure cookies are allowed."""
        return self.profile in ("local", "test")
