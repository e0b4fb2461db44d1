"""Settings of the users service (environment prefix `USERS_`, nested with `__`).

One pydantic model per concern; see README "Configuration" for every variable.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from servicekit.client_ip import trusted_networks
from servicekit.settings import ServiceSettings
from users.setup.access_token_settings import AccessTokenSettings
from users.setup.default_character_settings import DefaultCharacterSettings
from users.setup.deletion_settings import DeletionSettings
from users.setup.outbox_settings import OutboxSettings
from users.setup.rate_limit_settings import UsersRateLimitSettings


class UsersSettings(ServiceSettings):
    """Validated at start: a bad value stops the process before it serves."""

    INTERNAL_TOKEN_MIN_LEN: ClassVar[int] = 32

    model_config = SettingsConfigDict(
        env_prefix="USERS_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    port: int = Field(8002, ge=1, le=65535)
    redis_key_prefix: str = "users:"
    internal_api_token: SecretStr | None = Field(
        None,
        description="Service credential auth sends in X-Service-Token to /internal/v1. "
        "Required (at least 32 characters) outside the local/test profiles.",
    )
    events_stream: str = Field(
        "eco2:events:users", min_length=1, description="Redis Stream of user events."
    )
    database_read_pool_size: int = Field(
        32,
        ge=1,
        le=256,
        description="Connections of the read routes' own pool (opened on demand). A read "
        "holds one for a single round trip; the pool's size bounds reads in flight.",
    )
    recent_sign_in_seconds: int = Field(
        600,
        ge=60,
        le=86_400,
        description="Unlinking a social account needs a session that signed in this "
        "recently (the access token's auth_time).",
    )
    access_token: AccessTokenSettings = Field(default_factory=AccessTokenSettings)
    default_character: DefaultCharacterSettings = Field(default_factory=DefaultCharacterSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    deletion: DeletionSettings = Field(default_factory=DeletionSettings)
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="CIDRs of the proxies in front of users (the gateway) whose "
        "X-Forwarded-For entries are believed, right to left; for the per-IP limits.",
    )
    rate_limits: UsersRateLimitSettings = Field(default_factory=UsersRateLimitSettings)

    @field_validator("trusted_proxies")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        trusted_networks(value)
        return value

    @model_validator(mode="after")
    def _refuse_an_empty_token(self) -> UsersSettings:
        token = self.internal_api_token
        if token is not None and not token.get_secret_value():
            raise ValueError("USERS_INTERNAL_API_TOKEN is set but empty")
        return self

    @model_validator(mode="after")
    def _keep_admin_and_service_credentials_apart(self) -> UsersSettings:
        """The service token (auth's) must never pass as an administrator's credential."""
        token = self.internal_api_token
        if token is not None and any(
            secret.get_secret_value() == token.get_secret_value()
            for secret in self.admin_credentials.values()
        ):
            raise ValueError("USERS_ADMIN_CREDENTIALS must not reuse USERS_INTERNAL_API_TOKEN")
        return self

    def require_serving_secrets(self) -> None:
        """Called by the API at start (the relay and `migrate` do not serve the
        internal API, so they do not need its credential).

        :raises ValueError: outside local/test, no internal API token of at least
            ``INTERNAL_TOKEN_MIN_LEN`` characters.
        """
        token = self.internal_api_token
        if self.is_local:
            return
        if token is None or len(token.get_secret_value()) < self.INTERNAL_TOKEN_MIN_LEN:
            raise ValueError(
                f"USERS_INTERNAL_API_TOKEN must be at least {self.INTERNAL_TOKEN_MIN_LEN} "
                f"characters outside the local/test profiles (profile is {self.profile!r})"
            )
