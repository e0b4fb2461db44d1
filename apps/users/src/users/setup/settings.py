"""Settings of the users service (environment prefix `USERS_`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings


class UsersSettings(ServiceSettings):
    """Validated at start; see README "Configuration" for every variable."""

    model_config = SettingsConfigDict(env_prefix="USERS_", extra="ignore", frozen=True)

    port: int = Field(8002, ge=1, le=65535)
    redis_key_prefix: str = "users:"
