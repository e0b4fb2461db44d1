"""What a verified access token says about its caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from users.domain.value_objects.ids import UserId


@dataclass(frozen=True, slots=True)
class AccessTokenClaims:
    """``user_id`` is ``sub``; ``session_id`` is ``sid``; ``provider`` is the
    provider of the login that issued the token; ``signed_in_at`` is ``auth_time``, when
    that session signed in (the same on every token of the session, refreshes included;
    None on a token issued before auth sent the claim)."""

    user_id: UserId
    session_id: str
    jti: str
    provider: str
    expires_at: datetime
    signed_in_at: datetime | None = None
