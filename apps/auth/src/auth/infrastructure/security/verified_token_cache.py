"""Auth's verified-token cache: tokens whose signature was already verified, so a
token used again skips Ed25519.

An access token is presented many times in its short life (every API call passes
`/validate`), and the signature check is most of the cost of a decision. An entry
keeps what verification established (the key id, the claims and `nbf`); times, type
and revocation are still checked on every use. When a key stops being published,
the issuer drops its entries (`drop_key`), so an entry never outlives the key that
verified it. The LRU mechanics
(bounded, keyed by SHA-256, entries the garbage collector does not track) are
`kernel.verified_token_lru`, shared with users' access-token check.
"""

from __future__ import annotations

from uuid import UUID

from auth.domain.token.claims import TokenClaims
from auth.domain.token.token_type import TokenType
from kernel.verified_token_lru import VerifiedTokenLru

_Entry = tuple[str, str, int, str, str, str, int, int, int, int | None]


class VerifiedTokenCache(VerifiedTokenLru[_Entry, tuple[TokenClaims, int]]):
    """`get` answers the claims and `nbf` verified for exactly this token."""

    def put(self, token: str, claims: TokenClaims, not_before: int, kid: str) -> None:
        """Remember what the key ``kid`` verified for this token."""
        self._store(
            token,
            (
                kid,
                claims.token_type.value,
                claims.user_id.int,
                claims.session_id,
                claims.jti,
                claims.provider,
                claims.issued_at,
                claims.expires_at,
                not_before,
                claims.auth_time,
            ),
        )

    def _decode(self, entry: _Entry) -> tuple[TokenClaims, int]:
        _, kind, user, sid, jti, provider, iat, exp, nbf, auth_time = entry
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
