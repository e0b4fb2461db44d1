"""Request and response of the authorize use case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class OAuthAuthorizeRequest:
    provider: str
    redirect_uri: str | None = None
    frontend_origin: str | None = None
    device_id: str | None = None


@dataclass(frozen=True, slots=True)
class OAuthAuthorizeResponse:
    authorization_url: str
    state: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class OAuthLinkAuthorizeRequest:
    """Start linking ``provider`` to the caller's account, from the caller's session."""

    provider: str
    user_id: UUID
    session_id: str
    redirect_uri: str | None = None
    frontend_origin: str | None = None
