"""Token pairs and the requests/responses of the token use cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID


@dataclass(frozen=True, slots=True)
class TokenPair:
    """An access token and its refresh token, both of session `session_id`.

    `refresh_jti` identifies the refresh token in its session (what rotation
    compares); it has a default only so that test doubles may leave it out.
    """

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    access_jti: str
    session_id: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    refresh_jti: str = ""


@dataclass(frozen=True, slots=True)
class RestoreTicket:
    """Proof that the holder just signed in as a user whose account is pending deletion;
    the users service's restore route takes it, nothing else does."""

    token: str = field(repr=False)
    expires_at: datetime


class RefreshOutcome(StrEnum):
    """How a refresh was answered."""

    ROTATED = "rotated"
    GRACE = "grace"


@dataclass(frozen=True, slots=True)
class RefreshRequest:
    refresh_token: str = field(repr=False)
    client_ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class RefreshResponse:
    pair: TokenPair
    outcome: RefreshOutcome


@dataclass(frozen=True, slots=True)
class LogoutRequest:
    """Either token identifies the session; the access token's jti is denylisted."""

    access_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class LogoutResponse:
    session_id: str | None


@dataclass(frozen=True, slots=True)
class Identity:
    """Who presented a valid access token."""

    user_id: UUID
    session_id: str
    provider: str
    jti: str
    issued_at: int
    expires_at: int


@dataclass(frozen=True, slots=True)
class RevokeAllRequest:
    user_id: UUID


@dataclass(frozen=True, slots=True)
class RevokeAllResponse:
    ended_sessions: int
    revoked_before: datetime


@dataclass(frozen=True, slots=True)
class RevokeSessionRequest:
    user_id: UUID
    session_id: str


@dataclass(frozen=True, slots=True)
class ValidateRequest:
    token: str | None = field(repr=False)


@dataclass(frozen=True, slots=True)
class ListSessionsRequest:
    user_id: UUID
    current_session_id: str | None


@dataclass(frozen=True, slots=True)
class SessionView:
    session_id: str
    device_id: str | None
    user_agent: str | None
    provider: str
    created_at: datetime
    last_used_at: datetime
    current: bool
    ip_address: str | None = None
    device: str | None = None
    os: str | None = None
    browser: str | None = None
