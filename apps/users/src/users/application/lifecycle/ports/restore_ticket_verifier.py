"""Port: verify a restore ticket."""

from __future__ import annotations

from typing import Protocol

from users.application.lifecycle.dto.restore_ticket_claims import RestoreTicketClaims


class RestoreTicketVerifier(Protocol):
    """Checks a restore ticket auth issued at a sign-in refused with
    ACCOUNT_PENDING_DELETION: signature (auth's public keys), issuer, audience, lifetime
    (short: it proves a fresh sign-in), and that it is a restore ticket, neither an
    access nor a refresh token."""

    async def verify(self, ticket: str) -> RestoreTicketClaims:
        """Return the ticket's claims.

        :raises TokenMalformedError, TokenInvalidError: not a ticket auth signed.
        :raises TokenExpiredError: past ``exp`` (beyond the leeway).
        :raises TokenTypeInvalidError: another kind of token.
        :raises TokenKeysUnavailableError: the keys could not be fetched.
        """
        ...
