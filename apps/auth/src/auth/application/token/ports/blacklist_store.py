"""Port: look up the denylist and per-user "revoked before" times."""

from __future__ import annotations

from typing import Protocol

from auth.domain.token.claims import TokenClaims


class BlacklistStore(Protocol):
    """Answers whether a verified token has been revoked (written through
    `BlacklistEventPublisher`)."""

    async def is_revoked(self, claims: TokenClaims) -> bool:
        """True when the token's jti or session is denied or it predates its user's revoke-all.

        A store that lost its data (Redis came back empty) must not answer False for
        a token revoked before the loss: it revokes every token issued before it
        noticed the loss.

        :raises RevocationStateUnavailableError: the answer cannot be established.
        """
        ...
