"""Use case: finish an OAuth login (or a link) from the provider's redirect."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from auth.application.audit.ports.login_audit_gateway import LoginAuditGateway
from auth.application.audit.services.login_audit_recorder import record_login_audit
from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.common.ports.transaction_manager import TransactionManager
from auth.application.oauth.dto.callback import OAuthCallbackRequest, OAuthCallbackResponse
from auth.application.oauth.dto.link_intent import LinkIntent
from auth.application.oauth.dto.oauth_state import OAuthState
from auth.application.oauth.exceptions.oauth import (
    AccessDeniedError,
    LinkSessionMismatchError,
    OAuthProviderError,
    ProviderMismatchError,
    ResponseModeMismatchError,
)
from auth.application.oauth.services.oauth_flow_service import OAuthFlowService
from auth.application.oauth.services.profile_normalizer import external_identity
from auth.application.oauth.services.redirect_policy import RedirectPolicy
from auth.application.provider_link.dto.provider_link import ProviderLink
from auth.application.provider_link.ports.provider_token_store import ProviderTokenStore
from auth.application.provider_link.services.provider_token_keeper import keep_provider_token
from auth.application.token.dto.token import RestoreTicket, TokenPair
from auth.application.token.ports.user_agent_parser import UserAgentParser
from auth.application.token.services.token_service import TokenService
from auth.application.users.exceptions.account import (
    AccountDisabledError,
    AccountPendingDeletionError,
)
from auth.application.users.ports.user_command_gateway import UserCommandGateway
from auth.domain.audit.login_audit import LoginAudit, LoginResult
from kernel.errors import AppError
from kernel.rate_limit import RateLimit

logger = logging.getLogger(__name__)

SERVER_ERROR = "server_error"
# The user declined at the provider: OAuth 2.0's code, and Sign in with Apple's cancel.
DENIALS = frozenset({"access_denied", "user_cancelled_authorize"})


@dataclass
class _Attempt:
    """What a callback learned before it failed: where to send the browser, who it was,
    whether it was a link, and, for an account pending deletion, the restore ticket and
    the details its error page shows."""

    frontend_origin: str | None = None
    user_id: UUID | None = None
    link: LinkIntent | None = None
    restore_ticket: RestoreTicket | None = None
    details: dict[str, str] = field(default_factory=dict)

    @property
    def intent(self) -> Literal["login", "link"]:
        return "login" if self.link is None else "link"


class OAuthCallbackInteractor:
    """Logs the user in, or says precisely why not.

    Steps, in this order: count the callback against the client address's rate
    limit (over it: ``rate_limited``, and the state is left as it was); check the
    provider exists and its answer came the way it
    answers (a redirect, or a posted form for form_post providers such as Apple; the
    other way is ``response_mode_mismatch`` and leaves the state unused); consume the
    state (atomically: it works once, even when two callbacks race); check it was
    issued for this provider; honour an ``error`` from the provider; exchange the
    code with the PKCE verifier and, for OpenID Connect providers, verify the
    id_token (JWKS signature, iss, aud, exp, nonce); normalise the provider's profile
    (untrusted text, see ``external_identity``); get-or-create the user in the users
    service; record the login there; and only then issue the token pair and register
    its session (with the client address and the device, OS and browser its user
    agent names), so a failure never leaves a session behind. The success audit is
    written next; last, the link and the provider's refresh token (if it issued one)
    are kept for unlinking at the provider when the account is deleted
    (``keep_provider_token``: best effort, a failure there never fails the login).

    Every failure is audited (result ``failure``, reason = the error code in
    lower case; ``server_error`` for an unexpected exception, which is logged
    with its traceback) and returned as ``error`` instead of raised. An audit the
    database does not take, success or failure, is written to the log, every field
    of it: the audit database is not on the login's critical path.

    An account that is not active gets no session: ``account_disabled``, or
    ``account_pending_deletion`` (both audited with the user) with a
    restore ticket (the owner just signed in at the provider: the fresh sign-in that
    users' ``POST /me/restore`` asks for) and ``purge_after`` on the error page.

    The response carries the complete redirect (``RedirectPolicy.after_login``): the
    frontend origin the state carried (the default one when no state was read) with
    its success path, or its error path and ``?error=<code>``.

    A state started as a link (``authorize?intent=link``) links instead of logging in:
    the browser must still hold the session that started it (its access token, even
    expired, naming that live session; else ``link_session_mismatch``, before the code
    is exchanged); the provider account is then linked to that session's user through
    the users service, keyed by (provider, provider user id), never by e-mail. An
    account already linked to another user is ``account_already_linked`` (a second
    account of the same provider, ``provider_already_linked``), and nothing changes.
    No session is created and no cookie is set: the browser keeps its session and goes
    to ``RedirectPolicy.after_link`` (``?linked=<provider>``, or ``?error=<code>``).
    Audited as ``link`` or ``link_failure``.

    :raises BaseException: only a cancellation (after undoing a new session).
    """

    def __init__(
        self,
        *,
        flow: OAuthFlowService,
        policy: RedirectPolicy,
        users: UserCommandGateway,
        tokens: TokenService,
        audit_service: LoginAuditService,
        audit_gateway: LoginAuditGateway,
        transaction: TransactionManager,
        rate_limit: RateLimit,
        user_agents: UserAgentParser,
        provider_tokens: ProviderTokenStore,
    ) -> None:
        self._flow = flow
        self._policy = policy
        self._users = users
        self._tokens = tokens
        self._audit_service = audit_service
        self._audit_gateway = audit_gateway
        self._transaction = transaction
        self._rate_limit = rate_limit
        self._user_agents = user_agents
        self._provider_tokens = provider_tokens

    async def execute(self, request: OAuthCallbackRequest) -> OAuthCallbackResponse:
        attempt = _Attempt()
        try:
            pair, token_stored = await self._finish(request, attempt)
        except AppError as error:
            reason = error.code.lower()
        except Exception:
            logger.exception(
                "OAuth callback failed unexpectedly",
                extra={"provider": request.provider[: LoginAudit.PROVIDER_MAX_LEN]},
            )
            reason = SERVER_ERROR
        else:
            return OAuthCallbackResponse(
                redirect_url=self._redirect(request, attempt),
                tokens=pair,
                user_id=attempt.user_id,
                provider_token_stored=token_stored,
                intent=attempt.intent,
            )
        await self._record(self._failure(request, attempt, reason))
        return OAuthCallbackResponse(
            redirect_url=self._redirect(request, attempt, reason),
            error=reason,
            restore_ticket=attempt.restore_ticket,
            intent=attempt.intent,
        )

    def _redirect(
        self, request: OAuthCallbackRequest, attempt: _Attempt, error: str | None = None
    ) -> str:
        if attempt.link is None:
            return self._policy.after_login(attempt.frontend_origin, error, **attempt.details)
        return self._policy.after_link(attempt.frontend_origin, request.provider, error)

    async def _finish(
        self, request: OAuthCallbackRequest, attempt: _Attempt
    ) -> tuple[TokenPair | None, bool]:
        """Log in (the new session's pair), or link (no pair); and whether the provider
        link and its token were kept."""
        await self._rate_limit.acquire(request.client_ip)
        if self._flow.provider(request.provider).response_mode != request.response_mode:
            raise ResponseModeMismatchError
        pending = await self._flow.consume_state(request.state)
        attempt.frontend_origin = pending.frontend_origin
        attempt.link = pending.link
        if pending.provider != request.provider:
            raise ProviderMismatchError
        if request.error:
            if request.error in DENIALS:
                raise AccessDeniedError
            raise OAuthProviderError(f"the provider answered error={request.error[:64]!r}")
        if not request.code:
            raise OAuthProviderError("the provider returned neither code nor error")
        if pending.link is not None:
            stored = await self._link(request, pending, pending.link, request.code, attempt)
            return None, stored
        profile = await self._flow.fetch_profile(pending, request.code, request.user_details)
        try:
            account = await self._users.get_or_create(external_identity(profile))
            user_id = attempt.user_id = account.user_id
            await self._users.record_login(user_id, pending.provider)
        except AccountPendingDeletionError as pending_deletion:
            attempt.user_id = pending_deletion.user_id
            attempt.restore_ticket = self._tokens.issue_restore_ticket(pending_deletion.user_id)
            attempt.details["purge_after"] = pending_deletion.purge_after.isoformat()
            raise
        except AccountDisabledError as disabled:
            attempt.user_id = disabled.user_id
            raise
        pair = await self._tokens.issue_and_register(
            user_id=user_id,
            provider=pending.provider,
            device_id=pending.device_id,
            user_agent=request.user_agent,
            ip_address=request.client_ip,
            described=self._user_agents.describe(request.user_agent),
        )
        link = ProviderLink(
            user_id, pending.provider, profile.provider_user_id, profile.refresh_token
        )
        try:
            await self._record(self._success(request, user_id, pair))
            stored = await keep_provider_token(link, self._provider_tokens, self._transaction)
        except BaseException:  # cancelled: the tokens are never handed out
            await self._end_session(user_id, pair.session_id)
            raise
        return pair, stored

    async def _link(
        self,
        request: OAuthCallbackRequest,
        pending: OAuthState,
        link: LinkIntent,
        code: str,
        attempt: _Attempt,
    ) -> bool:
        attempt.user_id = link.user_id
        session = await self._tokens.session_of(request.access_token)
        if session is None or session.id != link.session_id or session.user_id != link.user_id:
            raise LinkSessionMismatchError
        profile = await self._flow.fetch_profile(pending, code, request.user_details)
        await self._users.link_identity(link.user_id, external_identity(profile))
        await self._record(
            self._audit_service.create_login_audit(
                result=LoginResult.LINK,
                user_id=link.user_id,
                provider=request.provider,
                session_id=session.id,
                client_ip=request.client_ip,
                user_agent=request.user_agent,
            )
        )
        provider_link = ProviderLink(
            link.user_id, request.provider, profile.provider_user_id, profile.refresh_token
        )
        return await keep_provider_token(provider_link, self._provider_tokens, self._transaction)

    async def _record(self, audit: LoginAudit) -> None:
        await record_login_audit(audit, self._audit_gateway, self._transaction)

    async def _end_session(self, user_id: UUID, session_id: str) -> None:
        """Undo a session whose login failed; if even that fails, its tokens were never
        handed out, so it only waits for its expiry."""
        try:
            await self._tokens.end_session(user_id, session_id)
        except Exception:
            logger.exception("could not end the session of a failed login")

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

    def _failure(self, request: OAuthCallbackRequest, attempt: _Attempt, reason: str) -> LoginAudit:
        return self._audit_service.create_login_audit(
            result=LoginResult.FAILURE if attempt.link is None else LoginResult.LINK_FAILURE,
            user_id=attempt.user_id,
            session_id=None if attempt.link is None else attempt.link.session_id,
            provider=request.provider[: LoginAudit.PROVIDER_MAX_LEN],
            reason=reason[: LoginAudit.REASON_MAX_LEN],
            client_ip=request.client_ip,
            user_agent=request.user_agent,
        )
