"""What authorize remembers for its callback, stored under the state value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class OAuthState:
    """One pending login: single-use, short-lived, bound to one provider."""

    state: str = field(repr=False)
    provider: str
    redirect_uri: str
    frontend_origin: str
    created_at: datetime
    code_verifier: str | None = field(default=None, repr=False)
    nonce: str | None = field(default=None, repr=False)
    device_id: str | None = None
