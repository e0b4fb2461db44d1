"""RestoreTicketVerifier with PyJWT, on the same keys as the access tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar
from uuid import UUID

from users.application.common.exceptions.access_token import (
    TokenInvalidError,
    TokenTypeInvalidError,
)
from users.application.lifecycle.dto.restore_ticket_claims import RestoreTicketClaims
from users.application.lifecycle.ports.restore_ticket_verifier import RestoreTicketVerifier
from users.domain.value_objects.ids import UserId
from users.infrastructure.token.key_source import KeySource
from users.infrastructure.token.signed_jwt import SignedJwtDecoder


class PyJwtRestoreTicketVerifier(RestoreTicketVerifier):
    """The access token verifier's checks (shape, known key, signature, ``iss``, ``aud``,
    ``exp``/``nbf`` with leeway), then the ticket's kind: header ``typ``
    ``restore+jwt`` and claim ``token_type`` ``restore``. Nothing is cached: a ticket
    is used about once."""

    TYPE: ClassVar[str] = "restore+jwt"
    REQUIRED_CLAIMS: ClassVar[list[str]] = ["iss", "aud", "sub", "exp", "iat", "jti"]

    def __init__(self, keys: KeySource, *, issuer: str, audience: str, leeway: int) -> None:
        self._decoder = SignedJwtDecoder(
            keys,
            issuer=issuer,
            audience=audience,
            leeway=leeway,
            required_claims=self.REQUIRED_CLAIMS,
            noun="ticket",
            expired_detail="The restore ticket has expired: sign in again.",
        )

    async def verify(self, ticket: str) -> RestoreTicketClaims:
        signed = await self._decoder.decode(ticket)
        header, claims = signed.header, signed.claims
        if header.get("typ") != self.TYPE or claims.get("token_type") != "restore":
            raise TokenTypeInvalidError("Not a restore ticket.")
        try:
            return RestoreTicketClaims(
                user_id=UserId(UUID(str(claims["sub"]))),
                signed_in_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
            )
        except (TypeError, ValueError) as error:
            raise TokenInvalidError("The ticket has malformed claims.") from error
