"""Use case: start an OAuth login."""

from __future__ import annotations

from auth.application.oauth.dto.authorize import OAuthAuthorizeRequest, OAuthAuthorizeResponse
from auth.application.oauth.services.oauth_flow_service import OAuthFlowService
from auth.application.oauth.services.redirect_policy import RedirectPolicy


class OAuthAuthorizeInteractor:
    """Returns the provider's authorization URL and the state it carries.

    Rules: the provider must exist and be configured; ``redirect_uri`` and
    ``frontend_origin`` must be on their allow-lists; the state is
    server-generated, random and single-use, stored (never overwriting another)
    with the PKCE verifier (S256, every provider that supports it), the nonce
    (OpenID Connect providers), the redirect target and the device id, for the
    state lifetime (10 minutes by default).

    :raises ProviderNotFoundError: unknown provider name.
    :raises ProviderNotConfiguredError: the provider has no client id/secret.
    :raises RedirectUriNotAllowedError: ``redirect_uri`` is not allow-listed.
    :raises FrontendOriginNotAllowedError: ``frontend_origin`` is not allow-listed.
    :raises OAuthProviderError: the provider's metadata could not be loaded.
    :raises OAuthStateUnavailableError: the state store (Redis) did not answer (503).
    """

    def __init__(self, flow: OAuthFlowService, policy: RedirectPolicy) -> None:
        self._flow = flow
        self._policy = policy

    async def execute(self, request: OAuthAuthorizeRequest) -> OAuthAuthorizeResponse:
        gateway = self._flow.provider(request.provider)
        redirect_uri = self._policy.redirect_uri(gateway.name, request.redirect_uri)
        frontend_origin = self._policy.frontend_origin(request.frontend_origin)
        return await self._flow.begin(
            gateway,
            redirect_uri=redirect_uri,
            frontend_origin=frontend_origin,
            device_id=request.device_id,
        )
