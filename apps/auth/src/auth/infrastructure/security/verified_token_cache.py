"""An LRU of tokens whose signature was already verified, so a token used again skips Ed25519.

An access token is presented many times in its short life (every API call passes
`/validate`), and the signature check is most of the cost of a decision. The key is
the SHA-256 of the whole token, so only the exact bytes that verified hit; the
value is what verification established (the claims object itself, immutable, and
`nbf`), so a hit decodes and builds nothing. Times, type and revocation are still
checked on every use. Keys are fixed for the life of the process, so an entry never
outlives the key that verified it.

The garbage collector tracks the entries, but at its capacity the cache frees one
entry per entry it adds: the net allocations that trigger a collection do not grow.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from auth.domain.token.claims import TokenClaims


class VerifiedTokenCache:
    """Bounded, least-recently-used; event-loop confined (no locking)."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be positive")
        self._capacity = capacity
        self._entries: OrderedDict[bytes, tuple[TokenClaims, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def _key(token: str) -> bytes:
        return hashlib.sha256(token.encode()).digest()

    def get(self, token: str) -> tuple[TokenClaims, int] | None:
        """The claims and `nbf` verified for exactly this token, or None."""
        key = self._key(token)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, token: str, claims: TokenClaims, not_before: int) -> None:
        self._entries[self._key(token)] = (claims, not_before)
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
