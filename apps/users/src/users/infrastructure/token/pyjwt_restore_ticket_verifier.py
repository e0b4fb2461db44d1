"""RestoreTicketVerifier with PyJWT, on the same keys as the access tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

import jwt

from users.application.common.exceptions.access_token import (
    TokenExpiredError,
    TokenInvalidError,
    TokenTypeInvalidError,
)
from users.application.lifecycle.dto.restore_ticket_claims import RestoreTicketClaims
from users.application.lifecycle.ports.restore_ticket_verifier import RestoreTicketVerifier
from users.domain.value_objects.ids import UserId
from users.infrastructure.token.jwks_key_source import SUPPORTED_ALGORITHMS
from users.infrastructure.token.key_source import KeySource
from users.infrastructure.token.pyjwt_access_token_verifier import require_well_formed


class PyJwtRestoreTicketVerifier(RestoreTicketVerifier):
    """The access token verifier's checks (shape, known key, signature, ``iss``, ``aud``,
    ``exp``/``nbf`` with leeway), then the ticket's kind: header ``typ``
    ``restore+jwt`` and claim ``token_type`` ``restore``. Nothing is cached: a ticket
    is used about once."""

    TYPE: ClassVar[str] = "restore+jwt"
    REQUIRED_CLAIMS: ClassVar[list[str]] = ["iss", "aud", "sub", "exp", "iat", "jti"]

    def __init__(self, keys: KeySource, *, issuer: str, audience: str, leeway: int) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway

    async def verify(self, ticket: str) -> RestoreTicketClaims:
        require_well_formed(ticket)
        try:
            header = jwt.get_unverified_header(ticket)
        except jwt.PyJWTError as error:
            raise TokenInvalidError() from error
        algorithm = header.get("alg")
        if algorithm not in SUPPORTED_ALGORITHMS:
            raise TokenInvalidError("The ticket's signing algorithm is not accepted.")
        kid = header.get("kid")
        key = await self._keys.key_for(kid if isinstance(kid, str) else None)
        if key is None or key.algorithm_name != algorithm:
            raise TokenInvalidError("The ticket was not signed by a known key.")
        try:
            claims: dict[str, Any] = jwt.decode(
                ticket,
                key.key,
                algorithms=[algorithm],
                issuer=self._issuer,
                audience=self._audience,
                leeway=self._leeway,
                options={"require": self.REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as error:
            raise TokenExpiredError("The restore ticket has expired: sign in again.") from error
        except jwt.PyJWTError as error:
            raise TokenInvalidError() from error
        if header.get("typ") != self.TYPE or claims.get("token_type") != "restore":
            raise TokenTypeInvalidError("Not a restore ticket.")
        try:
            return RestoreTicketClaims(
                user_id=UserId(UUID(str(claims["sub"]))),
                signed_in_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
            )
        except (TypeError, ValueError) as error:
            raise TokenInvalidError("The ticket has malformed claims.") from error
