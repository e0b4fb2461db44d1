"""Settings of the auth service (environment prefix `AUTH_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from servicekit.settings import ServiceSettings


class AuthSettings(ServiceSettings):
    """Validated at start; see README "Configuration" for every variable."""

    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore", frozen=True)

    port: int = Field(8001, ge=1, le=65535)
