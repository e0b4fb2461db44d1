"""Settings every service has; each service subclasses with its own env prefix."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Profile = Literal["local", "test", "dev", "prod"]


class ServiceSettings(BaseSettings):
    """Common settings. Secrets are `SecretStr`, so they never reach a log or repr."""

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
    redis_max_connections: int = Field(64, ge=1)
    redis_key_prefix: str = Field(
        "eco2:", description="Prefix of every Redis key and stream this service uses."
    )

    @property
    def is_local(self) -> bool:
        """True for the profiles where generated keys and insecure cookies are allowed."""
        return self.profile in ("local", "test")
