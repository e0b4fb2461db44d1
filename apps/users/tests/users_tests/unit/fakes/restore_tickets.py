"""A RestoreTicketVerifier over a table of known tickets."""

from __future__ import annotations

from users.application.common.exceptions.access_token import TokenInvalidError
from users.application.lifecycle.dto.restore_ticket_claims import RestoreTicketClaims
from users.application.lifecycle.ports.restore_ticket_verifier import RestoreTicketVerifier


class FakeRestoreTicketVerifier(RestoreTicketVerifier):
    """``tickets`` maps a ticket string to its claims; anything else is TOKEN_INVALID."""

    def __init__(self) -> None:
        self.tickets: dict[str, RestoreTicketClaims] = {}

    async def verify(self, ticket: str) -> RestoreTicketClaims:
        claims = self.tickets.get(ticket)
        if claims is None:
            raise TokenInvalidError()
        return claims
