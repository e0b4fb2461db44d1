"""Use case: finish an OAuth login from the provider's redirect."""

from __future__ import annotations

import logging
from uuid import UUID

from auth.application.audit.ports.login_audit_gateway import LoginAuditGateway
from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.common.ports.transaction_manager import TransactionManager
from auth.application.oauth.dto.callback import OAuthCallbackRequest, OAuthCallbackResponse
from auth.application.oauth.exceptions.oauth import (
    AccessDeniedError,
    OAuthProviderError,
    ProviderMismatchError,
)
from auth.application.oauth.services.oauth_flow_service import OAuthFlowService
from auth.application.oauth.services.profile_normalizer import external_identity
from auth.application.token.dto.token import TokenPair
from auth.application.token.services.token_service import TokenService
from auth.application.users.ports.user_command_gateway import UserCommandGateway
from auth.domain.audit.login_audit import LoginAudit, LoginResult
from kernel.errors import AppError

logger = logging.getLogger(__name__)


class OAuthCallbackInteractor:
    """Logs the user in, or says precisely why not.

    Steps, in this order: consume the state (atomically: it works once, even
    when two callbacks race); check it was issued for this provider; honour an
    ``error`` from the provider; exchange the code with the PKCE verifier and,
    for OpenID Connect providers, verify the id_token (JWKS signature, iss, aud,
    exp, nonce); normalise the provider's profile (untrusted text, see
    ``external_identity``); get-or-create the user in the users service; record the login
    there; and only then issue the token pair and register its session, so a
    failure never leaves a session behind. The success audit is committed last;
    if that fails the new session is ended again.

    Every expected failure is audited (result ``failure``, reason = the error
    code in lower case) and returned as ``error`` instead of raised.

    :raises Exception: only unexpected errors (bugs, the audit database down on
        success, after the session was undone).
    """

    def __init__(
        self,
        *,
        flow: OAuthFlowService,
        users: UserCommandGateway,
        tokens: TokenService,
        audit_service: LoginAuditService,
        audit_gateway: LoginAuditGateway,
        transaction: TransactionManager,
    ) -> None:
        self._flow = flow
        self._users = users
        self._tokens = tokens
        self._audit_service = audit_service
        self._audit_gateway = audit_gateway
        self._transaction = transaction

    async def execute(self, request: OAuthCallbackRequest) -> OAuthCallbackResponse:
        frontend_origin: str | None = None
        user_id: UUID | None = None
        try:
            pending = await self._flow.consume_state(request.state)
            frontend_origin = pending.frontend_origin
            if pending.provider != request.provider:
                raise ProviderMismatchError
            if request.error:
                if request.error == "access_denied":
                    raise AccessDeniedError
                raise OAuthProviderError(f"the provider answered error={request.error[:64]!r}")
            if not request.code:
                raise OAuthProviderError("the provider returned neither code nor error")
            profile = await self._flow.fetch_profile(pending, request.code)
            account = await self._users.get_or_create(external_identity(profile))
            user_id = account.user_id
            await self._users.record_login(user_id, pending.provider)
            pair = await self._tokens.issue_and_register(
                user_id=user_id,
                provider=pending.provider,
                device_id=pending.device_id,
                user_agent=request.user_agent,
            )
        except AppError as error:
            reason = error.code.lower()
            await self._audit_failure(request, user_id, reason)
            return OAuthCallbackResponse(frontend_origin=frontend_origin, error=reason)
        try:
            await self._store(self._success(request, user_id, pair))
        except BaseException:
            await self._tokens.end_session(pair.session_id)
            raise
        return OAuthCallbackResponse(frontend_origin=frontend_origin, tokens=pair, user_id=user_id)

    def _success(self, request: OAuthCallbackRequest, user_id: UUID, pair: TokenPair) -> LoginAudit:
        return self._audit_service.create_login_audit(
            result=LoginResult.SUCCESS,
            user_id=user_id,
            provider=request.provider,
            session_id=pair.session_id,
            access_jti=pair.access_jti,
            client_ip=request.client_ip,
            user_agent=request.user_agent,
        )

    async def _audit_failure(
        self, request: OAuthCallbackRequest, user_id: UUID | None, reason: str
    ) -> None:
        audit = self._audit_service.create_login_audit(
            result=LoginResult.FAILURE,
            user_id=user_id,
            provider=request.provider[: LoginAudit.PROVIDER_MAX_LEN],
            reason=reason[: LoginAudit.REASON_MAX_LEN],
            client_ip=request.client_ip,
            user_agent=request.user_agent,
        )
        try:
            await self._store(audit)
        except Exception:
            # The user still gets the precise error; the lost row is logged instead.
            logger.exception("could not audit a failed login", extra={"reason": reason})

    async def _store(self, audit: LoginAudit) -> None:
        await self._audit_gateway.add(audit)
        await self._transaction.commit()
