"""Account deletion: the grace period and the purge worker (env `USERS_DELETION__…`)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator


class DeletionSettings(BaseModel):
    """How long a deleted account can be restored, and how the purge worker erases the
    accounts whose date passed (batches, how often it looks, where it serves `/health`,
    `/ready` and `/metrics`)."""

    model_config = ConfigDict(frozen=True)

    grace_period: timedelta = Field(
        timedelta(days=30),
        ge=timedelta(0),
        description="From the deletion request to the purge (ISO 8601 duration such as "
        "P30D, or seconds); 0 purges at once, in the request.",
    )
    purge_batch_size: int = Field(100, ge=1, le=1000, description="Accounts per transaction.")
    purge_interval_seconds: float = Field(
        60.0, gt=0, description="Pause between two scans once nothing is due."
    )
    max_backoff_seconds: float = Field(
        300.0, gt=0, description="Cap of the retry delay while PostgreSQL is down."
    )
    metrics_host: str = Field("127.0.0.1", min_length=1)
    metrics_port: int = Field(9103, ge=0, le=65535, description="0: no HTTP endpoint.")

    @field_validator("grace_period", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> object:
        """A plain number from the environment (``"0"``, ``"2.5"``) is seconds."""
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                return value
        return value
