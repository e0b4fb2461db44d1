"""The verified content of a token."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from auth.domain.token.token_type import TokenType
from kernel.value_object import ValueObject


@dataclass(frozen=True, slots=True)
class TokenClaims(ValueObject):
    """Claims of a token whose signature, type, issuer, audience and times were checked.

    Times are Unix seconds, as in the token. ``auth_time`` is when the session signed in
    (OpenID Connect's claim name); every pair of a session carries the same one, so
    recency rules can be checked from a token alone. None on tokens issued before the
    claim existed.
    """

    token_type: TokenType
    user_id: UUID
    session_id: str
    jti: str
    provider: str
    issued_at: int
    expires_at: int
    auth_time: int | None = None
