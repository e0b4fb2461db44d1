"""The outbox relay worker (env `USERS_OUTBOX__…`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OutboxSettings(BaseModel):
    """Batching, polling (the fallback of the commit notification), retry back-off,
    how long published event ids are remembered in Redis (the idempotency window of
    a republish), and where the relay serves `/health`, `/ready` and `/metrics`."""

    model_config = ConfigDict(frozen=True)

    batch_size: int = Field(100, ge=1, le=1000)
    poll_interval_seconds: float = Field(1.0, gt=0)
    max_backoff_seconds: float = Field(30.0, gt=0)
    dedup_ttl_days: int = Field(7, ge=1)
    metrics_host: str = Field("127.0.0.1", min_length=1)
    metrics_port: int = Field(9102, ge=0, le=65535, description="0: no HTTP endpoint.")
