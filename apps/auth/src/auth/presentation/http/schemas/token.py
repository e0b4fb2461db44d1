"""Response bodies of the token routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


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
    session_id: str
    device_id: str | None
    user_agent: str | None
    provider: str
    created_at: datetime
    last_used_at: datetime
    current: bool


class SessionsOut(BaseModel):
    sessions: list[SessionOut]
