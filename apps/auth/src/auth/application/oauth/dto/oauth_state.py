"""What authorize remembers for its callback, stored under the state value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from auth.application.oauth.dto.link_intent import LinkIntent


@dataclass(frozen=True, slots=True)
class OAuthState:
    """One pending login: single-use, short-lived, bound to one provider; with ``link``, a
    pending link of that provider to a signed-in account."""

    state: str = field(repr=False)
    provider: str
    redirect_uri: str
    frontend_origin: str
    created_at: datetime
    code_verifier: str | None = field(default=None, repr=False)
    nonce: str | None = field(default=None, repr=False)
    device_id: str | None = None
    link: LinkIntent | None = None
