"""Requests and responses of the admin use cases. ``admin`` is the name of the credential
the call was authenticated with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from auth.application.audit.dto.login_audit_filter import LoginAuditCursor, LoginAuditFilter
from auth.domain.audit.login_audit import LoginAudit


@dataclass(frozen=True, slots=True)
class ForceLogoutUserRequest:
    admin: str
    user_id: UUID


@dataclass(frozen=True, slots=True)
class ForceLogoutUserResponse:
    ended_sessions: int
    revoked_before: datetime


@dataclass(frozen=True, slots=True)
class ForceLogoutSessionRequest:
    admin: str
    user_id: UUID
    session_id: str


@dataclass(frozen=True, slots=True)
class LoginAuditPageRequest:
    admin: str
    filter: LoginAuditFilter
    limit: int


@dataclass(frozen=True, slots=True)
class LoginAuditPage:
    """Rows newest first; ``next`` continues after the last one (None: no more rows)."""

    rows: list[LoginAudit]
    next: LoginAuditCursor | None
