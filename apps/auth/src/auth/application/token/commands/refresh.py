"""Refresh: rotate a refresh token into a new pair of the same session."""

from __future__ import annotations

from auth.application.audit.ports.login_audit_gateway import LoginAuditGateway
from auth.application.audit.services.login_audit_recorder import record_login_audit
from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.common.ports.transaction_manager import TransactionManager
from auth.application.token.dto.token import RefreshOutcome, RefreshRequest, RefreshResponse
from auth.application.token.exceptions.token import (
    RefreshReusedError,
    TokenMissingError,
    TokenRevokedError,
)
from auth.application.token.ports.issuer import TokenIssuer
from auth.application.token.ports.session_store import RotationStatus
from auth.application.token.services.token_service import TokenService
from auth.domain.audit.login_audit import LoginResult
from auth.domain.token.token_type import TokenType
from kernel.rate_limit import RateLimit


class RefreshTokensInteractor:
    """Exchange a refresh token for a new pair.

    Rules: the token must be a valid, unexpired refresh token of a live session;
    its session is counted against the per-session rate limit before anything
    changes (a refused refresh leaves the token current). Rotation is atomic: of
    concurrent refreshes with one token exactly one rotates; a repeat of the
    immediate parent within the grace window gets that same child pair (the family
    does not branch); any older token ends the session, revokes its access tokens
    and is audited as `refresh_reuse` (in the log when the audit database does not
    answer: the reuse is answered all the same).

    :raises TokenMissingError: no refresh token was presented.
    :raises TokenInvalidError, TokenExpiredError, TokenTypeInvalidError: a bad token.
    :raises TokenRevokedError: the session has ended (logout, revoke, expiry, reuse).
    :raises RefreshReusedError: an already rotated token came back; the session is ended.
    :raises RateLimitedError: the session refreshed too often.
    """

    def __init__(
        self,
        issuer: TokenIssuer,
        token_service: TokenService,
        audit_service: LoginAuditService,
        audit_gateway: LoginAuditGateway,
        transaction_manager: TransactionManager,
        session_limit: RateLimit,
    ) -> None:
        self._issuer = issuer
        self._tokens = token_service
        self._audits = audit_service
        self._audit_gateway = audit_gateway
        self._transaction = transaction_manager
        self._session_limit = session_limit

    async def execute(self, request: RefreshRequest) -> RefreshResponse:
        if not request.refresh_token:
            raise TokenMissingError
        claims = self._issuer.verify(request.refresh_token, TokenType.REFRESH)
        await self._session_limit.acquire(claims.session_id)
        rotation = await self._tokens.rotate(claims)
        if rotation.status is RotationStatus.MISSING:
            raise TokenRevokedError("The session of this refresh token has ended.")
        if rotation.status is RotationStatus.REUSED:
            audit = self._audits.create_login_audit(
                result=LoginResult.REFRESH_REUSE.value,
                user_id=claims.user_id,
                provider=claims.provider,
                session_id=claims.session_id,
                reason=RefreshReusedError.code,
                client_ip=request.client_ip,
                user_agent=request.user_agent,
            )
            await record_login_audit(audit, self._audit_gateway, self._transaction)
            raise RefreshReusedError
        assert rotation.pair is not None
        outcome = (
            RefreshOutcome.ROTATED
            if rotation.status is RotationStatus.ROTATED
            else RefreshOutcome.GRACE
        )
        return RefreshResponse(pair=rotation.pair, outcome=outcome)
