"""The outbox relay worker (env `USERS_OUTBOX__…`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OutboxSettings(BaseModel):
    """Batching, polling, retry back-off and how long published event ids are
    remembered in Redis (the idempotency window of a republish)."""

    model_config = ConfigDict(frozen=True)

    batch_size: int = Field(100, ge=1, le=1000)
    poll_interval_seconds: float = Field(1.0, gt=0)
    max_backoff_seconds: float = Field(30.0, gt=0)
    dedup_ttl_days: int = Field(7, ge=1)
