"""Logout: end the caller's session and denylist its access token."""

from __future__ import annotations

from auth.application.token.dto.token import LogoutRequest, LogoutResponse
from auth.application.token.ports.issuer import TokenIssuer
from auth.application.token.services.token_service import TokenService
from auth.domain.token.token_type import TokenType
from kernel.rate_limit import RateLimit


class LogoutInteractor:
    """End the session a token belongs to.

    Rules: the access token (else the refresh token) names the session; its
    signature, type, issuer and audience must hold, but an expired or already
    revoked token is accepted so logout stays idempotent. The session is counted
    against the per-session rate limit; then it ends, every access token of it is
    revoked, and the presented access token's jti is denylisted until it expires.
    Without any token there is nothing to end.

    :raises TokenInvalidError, TokenTypeInvalidError: a token that is not ours.
    :raises RateLimitedError: the session asked to log out too often.
    """

    def __init__(
        self, issuer: TokenIssuer, token_service: TokenService, session_limit: RateLimit
    ) -> None:
        self._issuer = issuer
        self._tokens = token_service
        self._session_limit = session_limit

    async def execute(self, request: LogoutRequest) -> LogoutResponse:
        if request.access_token:
            claims = self._issuer.verify(
                request.access_token, TokenType.ACCESS, verify_expiry=False
            )
        elif request.refresh_token:
            claims = self._issuer.verify(
                request.refresh_token, TokenType.REFRESH, verify_expiry=False
            )
        else:
            return LogoutResponse(session_id=None)
        await self._session_limit.acquire(claims.session_id)
        await self._tokens.end_session(claims.user_id, claims.session_id)
        if claims.token_type is TokenType.ACCESS:
            await self._tokens.deny_access_token(claims)
        return LogoutResponse(session_id=claims.session_id)
