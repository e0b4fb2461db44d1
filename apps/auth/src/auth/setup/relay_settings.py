"""Blacklist relay settings (env `AUTH_RELAY__…`; its stream is `AUTH_USER_EVENTS_STREAM`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class RelaySettings(BaseModel):
    """Consumer group, redelivery and dead-letter policy of the blacklist relay."""

    model_config = ConfigDict(frozen=True)

    group: str = Field("auth-blacklist-relay", min_length=1)
    consumer: str | None = Field(
        None,
        description="Consumer name in the group; default the host name (the pod name), so a"
        " restarted relay is the same consumer and resumes its own pending messages.",
    )
    max_deliveries: int = Field(5, ge=1, description="Attempts before dead-lettering.")
    claim_min_idle_seconds: float = Field(
        30.0, ge=0, description="Pending this long, a message is taken from its consumer."
    )
    block_seconds: float = Field(2.0, gt=0, le=30)
    batch_size: int = Field(32, ge=1, le=1000)
    metrics_host: str = Field(
        "127.0.0.1", min_length=1, description="Address of /health, /ready and /metrics."
    )
    metrics_port: int = Field(
        9101, ge=0, le=65535, description="Port of /health, /ready and /metrics; 0: none."
    )
