"""Auth's verified-token cache: tokens whose signature was already verified, so a
token used again skips Ed25519.

An access token is presented many times in its short life (every API call passes
`/validate`), and the signature check is most of the cost of a decision. An entry
keeps what verification established: the key id, the claims object itself
(immutable, so a hit decodes and builds nothing) and `nbf`; times, type and
revocation are still checked on every use. When a key stops being published, the
issuer drops its entries (`drop_key`), so an entry never outlives the key that
verified it. The LRU mechanics (bounded, keyed by SHA-256) are
`kernel.verified_token_lru`, shared with users' access-token check. Unlike users'
plain tuples, these entries hold an object the garbage collector tracks; at capacity
the cache frees one entry per entry it adds, so the net allocations that trigger a
collection do not grow.
"""

from __future__ import annotations

from auth.domain.token.claims import TokenClaims
from kernel.verified_token_lru import VerifiedTokenLru

_Entry = tuple[str, TokenClaims, int]


class VerifiedTokenCache(VerifiedTokenLru[_Entry, tuple[TokenClaims, int]]):
    """`get` answers the claims and `nbf` verified for exactly this token."""

    def put(self, token: str, claims: TokenClaims, not_before: int, kid: str) -> None:
        """Remember what the key ``kid`` verified for this token."""
        self._store(token, (kid, claims, not_before))

    def _decode(self, entry: _Entry) -> tuple[TokenClaims, int]:
        return entry[1], entry[2]
