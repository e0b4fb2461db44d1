"""Use case: start linking a provider to the signed-in caller's account."""

from __future__ import annotations

from datetime import timedelta

from auth.application.oauth.dto.authorize import OAuthAuthorizeResponse, OAuthLinkAuthorizeRequest
from auth.application.oauth.dto.link_intent import LinkIntent
from auth.application.oauth.exceptions.oauth import (
    LinkNotSupportedError,
    ReauthenticationRequiredError,
)
from auth.application.oauth.services.oauth_flow_service import OAuthFlowService
from auth.application.oauth.services.redirect_policy import RedirectPolicy
from auth.application.token.services.token_service import TokenService
from kernel.clock import Clock


class OAuthLinkAuthorizeInteractor:
    """Returns the provider's authorization URL for a link, like a login's (server-side
    single-use state, PKCE, nonce, allow-listed redirect targets), with the state bound
    to the caller's account and session.

    Rules: the caller's session must have signed in (its login, not its last refresh)
    within the recent window (10 minutes by default); the callback then links the
    provider account to this user, never by e-mail, and only for a browser still holding
    this session. A provider that answers with a cross-site form POST (Apple) cannot be
    linked: the session cookie does not come with that POST.

    :raises ReauthenticationRequiredError: the session signed in too long ago, or has
        ended (401: sign in again, then link).
    :raises LinkNotSupportedError: the provider answers with a form POST (422).
    :raises ProviderNotFoundError, ProviderNotConfiguredError: no such usable provider.
    :raises RedirectUriNotAllowedError, FrontendOriginNotAllowedError: not allow-listed.
    :raises OAuthProviderError: the provider's metadata could not be loaded.
    :raises OAuthStateUnavailableError: the state store (Redis) did not answer (503).
    :raises RevocationStateUnavailableError: the session store (Redis) did not answer (503).
    """

    def __init__(
        self,
        *,
        flow: OAuthFlowService,
        policy: RedirectPolicy,
        tokens: TokenService,
        clock: Clock,
        recent_sign_in: timedelta,
    ) -> None:
        self._flow = flow
        self._policy = policy
        self._tokens = tokens
        self._clock = clock
        self._recent = recent_sign_in

    async def execute(self, request: OAuthLinkAuthorizeRequest) -> OAuthAuthorizeResponse:
        gateway = self._flow.provider(request.provider)
        if gateway.response_mode != "query":
            raise LinkNotSupportedError
        redirect_uri = self._policy.redirect_uri(gateway.name, request.redirect_uri)
        frontend_origin = self._policy.frontend_origin(request.frontend_origin)
        session = await self._tokens.get_session(request.user_id, request.session_id)
        if session is None or not session.belongs_to(request.user_id):
            raise ReauthenticationRequiredError("This session has ended; sign in again.")
        if self._clock.now() - session.created_at > self._recent:
            raise ReauthenticationRequiredError
        return await self._flow.begin(
            gateway,
            redirect_uri=redirect_uri,
            frontend_origin=frontend_origin,
            device_id=session.device_id,
            link=LinkIntent(request.user_id, session.id),
        )
