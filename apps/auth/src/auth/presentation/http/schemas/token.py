"""Response bodies of the token routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class TokenPairOut(BaseModel):
    """When each token expires; the tokens themselves only for header-based clients
    (web clients get them as HttpOnly cookies and never see them)."""

    token_type: str = "Bearer"
    session_id: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    access_token: str | None = None
    refresh_token: str | None = None


class RevokeAllOut(BaseModel):
    ended_sessions: int
    revoked_before: datetime


class SessionOut(BaseModel):
    """One login on one device. The address and device fields are those of the login
    (null when unknown, and for sessions opened before they were recorded)."""

    session_id: str
    device_id: str | None
    user_agent: str | None
    provider: str
    created_at: datetime
    last_used_at: datetime = Field(description="The last refresh (the login, before any).")
    current: bool = Field(description="This is the session of the access token asking.")
    ip_address: str | None = Field(
        None, description="Client address of the login (through trusted proxies)."
    )
    device: str | None = Field(None, examples=["Samsung SM-S918N"])
    os: str | None = Field(None, examples=["Android 14"])
    browser: str | None = Field(None, examples=["Chrome Mobile 120.0"])


class SessionsOut(BaseModel):
    sessions: list[SessionOut]
