"""An LRU of tokens whose signature was already verified, so a token used again skips Ed25519.

An access token is presented many times in its short life (every API call passes
`/validate`), and the signature check is most of the cost of a decision. The key is
the SHA-256 of the whole token, so only the exact bytes that verified hit; the
value is what verification established (claims and `nbf`). Times, type and
revocation are still checked on every use. Keys are fixed for the life of the
process, so an entry never outlives the key that verified it.

Entries are tuples of strings and ints: the garbage collector does not track
them, so a full cache adds nothing to collection pauses.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from uuid import UUID

from auth.domain.token.claims import TokenClaims
from auth.domain.token.token_type import TokenType

_Entry = tuple[str, int, str, str, str, int, int, int, int | None]


class VerifiedTokenCache:
    """Bounded, least-recently-used; event-loop confined (no locking)."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be positive")
        self._capacity = capacity
        self._entries: OrderedDict[bytes, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def _key(token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()

    def get(self, token: str) -> tuple[TokenClaims, int] | None:
        """The claims and `nbf` verified for exactly this token, or None."""
        key = self._key(token)
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        kind, user, sid, jti, provider, iat, exp, nbf, auth_time = entry
        claims = TokenClaims(
            token_type=TokenType(kind),
            user_id=UUID(int=user),
            session_id=sid,
            jti=jti,
            provider=provider,
            issued_at=iat,
            expires_at=exp,
            auth_time=auth_time,
        )
        return claims, nbf

    def put(self, token: str, claims: TokenClaims, not_before: int) -> None:
        self._entries[self._key(token)] = (
            claims.token_type.value,
            claims.user_id.int,
            claims.session_id,
            claims.jti,
            claims.provider,
            claims.issued_at,
            claims.expires_at,
            not_before,
            claims.auth_time,
        )
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
