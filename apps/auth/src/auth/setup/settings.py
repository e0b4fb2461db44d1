"""Settings of the auth service (environment prefix `AUTH_`, nested with `__`).

One pydantic model per concern; see README "Configuration" for every variable.
"""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from auth.setup.audit_eraser_settings import AuditEraserSettings
from auth.setup.oauth_settings import OAuthSettings
from auth.setup.provider_unlink_settings import ProviderTokenSettings, ProviderUnlinkSettings
from auth.setup.rate_limit_settings import AuthRateLimitSettings
from auth.setup.relay_settings import RelaySettings
from auth.setup.token_settings import TokenSettings
from servicekit.settings import ServiceSettings


class AuthSettings(ServiceSettings):
    """Validated at start: a bad value stops the process before it serves."""

    model_config = SettingsConfigDict(
        env_prefix="AUTH_", env_nested_delimiter="__", extra="ignore", frozen=True
    )

    port: int = Field(8001, ge=1, le=65535)
    redis_key_prefix: str = "auth:"
    token: TokenSettings = Field(default_factory=TokenSettings)
    oauth: OAuthSettings = Field(default_factory=OAuthSettings)
    user_events_stream: str = Field(
        "eco2:events:users", min_length=1, description="The users service's event stream."
    )
    relay: RelaySettings = Field(default_factory=RelaySettings)
    audit_eraser: AuditEraserSettings = Field(default_factory=AuditEraserSettings)
    rate_limits: AuthRateLimitSettings = Field(default_factory=AuthRateLimitSettings)
    provider_tokens: ProviderTokenSettings = Field(default_factory=ProviderTokenSettings)
    provider_unlink: ProviderUnlinkSettings = Field(default_factory=ProviderUnlinkSettings)

    @property
    def dev_provider_enabled(self) -> bool:
        """Provider `dev` is on: `AUTH_OAUTH__DEV__ENABLED`, by default in the local profile."""
        enabled = self.oauth.dev.enabled
        return self.profile == "local" if enabled is None else enabled

    @model_validator(mode="after")
    def _dev_provider_only_locally(self) -> AuthSettings:
        if self.oauth.dev.enabled and not self.is_local:
            raise ValueError(
                f"AUTH_OAUTH__DEV__ENABLED=true is refused in the {self.profile!r} profile: "
                "the dev provider signs in anyone under any name, so it exists only in the "
                "local/test profiles"
            )
        return self

    @model_validator(mode="after")
    def _keep_admin_and_service_credentials_apart(self) -> AuthSettings:
        """The users service token auth sends must never pass as an administrator."""
        token = self.oauth.users.token.get_secret_value()
        if token and any(
            secret.get_secret_value() == token for secret in self.admin_credentials.values()
        ):
            raise ValueError("AUTH_ADMIN_CREDENTIALS must not reuse AUTH_OAUTH__USERS__TOKEN")
        return self
