"""Bodies of the admin routes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from auth.domain.audit.login_audit import LoginAudit


class ForceLogoutOut(BaseModel):
    ended_sessions: int
    revoked_before: datetime = Field(description="Access tokens issued before are rejected.")


class LoginAuditOut(BaseModel):
    id: UUID
    occurred_at: datetime
    result: str = Field(description="success, failure or refresh_reuse.")
    reason: str | None = Field(description="The error code in lower case (not for a success).")
    provider: str | None
    session_id: str | None
    access_jti: str | None
    client_ip: str | None = Field(description="None once the account was purged.")
    user_agent: str | None = Field(description="None once the account was purged.")

    @classmethod
    def of(cls, audit: LoginAudit) -> LoginAuditOut:
        return cls(
            id=audit.id,
            occurred_at=audit.occurred_at,
            result=audit.result,
            reason=audit.reason,
            provider=audit.provider,
            session_id=audit.session_id,
            access_jti=audit.access_jti,
            client_ip=audit.client_ip,
            user_agent=audit.user_agent,
        )


class LoginAuditPageOut(BaseModel):
    items: list[LoginAuditOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null when there is none."
    )
