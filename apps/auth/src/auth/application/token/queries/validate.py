"""Validate an access token (the ext_authz check)."""

from __future__ import annotations

from auth.application.token.dto.token import Identity, ValidateRequest
from auth.application.token.exceptions.token import TokenMissingError
from auth.application.token.services.token_service import TokenService


class ValidateTokenQueryService:
    """Who a presented access token identifies.

    Rules: signature by a published key, `typ`/`token_type` access, issuer,
    audience, `nbf`/`exp`; not denylisted (jti or session) and not issued before
    its user's revoke-all. Revocation is answered from this process's copy while
    it is fresh, else from Redis.

    :raises TokenMissingError, TokenInvalidError, TokenExpiredError,
        TokenTypeInvalidError, TokenRevokedError: the token does not identify anyone.
    :raises RevocationStateUnavailableError: the copy is stale and Redis is unreachable.
    """

    def __init__(self, token_service: TokenService) -> None:
        self._tokens = token_service

    async def execute(self, request: ValidateRequest) -> Identity:
        if not request.token:
            raise TokenMissingError
        claims = await self._tokens.verify_access(request.token)
        return Identity(
            user_id=claims.user_id,
            session_id=claims.session_id,
            provider=claims.provider,
            jti=claims.jti,
            issued_at=claims.issued_at,
            expires_at=claims.expires_at,
        )
