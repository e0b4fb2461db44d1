"""The audit eraser worker (env `AUTH_AUDIT_ERASER__…`; its stream is
`AUTH_USER_EVENTS_STREAM`, its redelivery policy the relay's `AUTH_RELAY__…`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AuditEraserSettings(BaseModel):
    """Its consumer group, and where it serves `/health`, `/ready` and `/metrics`."""

    model_config = ConfigDict(frozen=True)

    group: str = Field("auth-audit-eraser", min_length=1)
    metrics_host: str = Field(
        "127.0.0.1", min_length=1, description="Address of /health, /ready and /metrics."
    )
    metrics_port: int = Field(
        9104, ge=0, le=65535, description="Port of /health, /ready and /metrics; 0: none."
    )
