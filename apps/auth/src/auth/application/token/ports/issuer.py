"""Port: sign and verify tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from auth.application.token.dto.token import RestoreTicket, TokenPair
from auth.domain.token.claims import TokenClaims
from auth.domain.token.token_type import TokenType


class TokenIssuer(Protocol):
    """Mints access/refresh pairs and checks tokens it (or a published key) signed."""

    def issue_pair(
        self,
        *,
        user_id: UUID,
        provider: str,
        session_id: str,
        now: datetime,
        auth_time: int | None = None,
    ) -> TokenPair:
        """A new pair for session `session_id`, each token with a fresh jti; both carry
        `auth_time` (the session's sign-in, Unix seconds) when it is given."""
        ...

    def issue_restore_ticket(self, *, user_id: UUID, now: datetime) -> RestoreTicket:
        """A short-lived restore ticket of ``user_id`` (`typ: restore+jwt`, ``iat`` = now):
        neither an access nor a refresh token, so only the restore route accepts it."""
        ...

    def verify(self, token: str, expected: TokenType, *, verify_expiry: bool = True) -> TokenClaims:
        """Check signature, kind, issuer, audience and times; return the claims.

        :raises TokenMalformedError: over 8 KB, not a compact JWS, or a header or claims
            that are not a flat JSON object; checked before anything else.
        :raises TokenInvalidError: bad signature, unknown key, wrong iss/aud, nbf.
        :raises TokenExpiredError: past `exp` (only when `verify_expiry`).
        :raises TokenTypeInvalidError: the other kind of token.
        """
        ...

    async def verify_concurrently(self, token: str, expected: TokenType) -> TokenClaims:
        """`verify` (expiry included), letting other requests proceed while a signature
        is checked; same errors."""
        ...
