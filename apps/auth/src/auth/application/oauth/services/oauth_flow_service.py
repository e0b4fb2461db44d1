"""Facade of the OAuth protocol: state store + provider gateways.

Creating a state and consuming it, and talking to the provider with the PKCE
verifier and nonce the state holds, are one concept: apart, every use case
would have to know the protocol's details.
"""

from __future__ import annotations

from datetime import timedelta

from auth.application.oauth.dto.authorize import OAuthAuthorizeResponse
from auth.application.oauth.dto.link_intent import LinkIntent
from auth.application.oauth.dto.oauth_state import OAuthState
from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.exceptions.oauth import (
    InvalidStateError,
    StateCollisionError,
)
from auth.application.oauth.ports.provider_gateway import ProviderGateway
from auth.application.oauth.ports.provider_registry import ProviderRegistry
from auth.application.oauth.ports.state_store import StateStore
from auth.application.oauth.services.pkce import s256_challenge
from kernel.clock import Clock
from kernel.ids import random_token


class OAuthFlowService:
    """Starts logins (state, PKCE, nonce) and finishes them (single-use state,
    code exchange, verified profile)."""

    SAVE_ATTEMPTS = 3

    def __init__(
        self,
        *,
        state_store: StateStore,
        providers: ProviderRegistry,
        clock: Clock,
        state_ttl_seconds: int = 600,
    ) -> None:
        self._states = state_store
        self._providers = providers
        self._clock = clock
        self._ttl = state_ttl_seconds

    def provider(self, name: str) -> ProviderGateway:
        """:raises ProviderNotFoundError, ProviderNotConfiguredError:"""
        return self._providers.get(name)

    async def begin(
        self,
        gateway: ProviderGateway,
        *,
        redirect_uri: str,
        frontend_origin: str,
        device_id: str | None,
        link: LinkIntent | None = None,
    ) -> OAuthAuthorizeResponse:
        """Store a fresh single-use state (never overwriting another) and build the URL;
        with ``link``, the state is a pending link to that account, from that session.

        :raises StateCollisionError: every generated state already existed.
        :raises OAuthProviderError: the provider's metadata could not be loaded.
        :raises OAuthStateUnavailableError: the state store did not answer.
        """
        now = self._clock.now()
        verifier = random_token(48) if gateway.supports_pkce else None
        nonce = random_token(32) if gateway.uses_nonce else None
        challenge = s256_challenge(verifier) if verifier else None
        for _ in range(self.SAVE_ATTEMPTS):
            pending = OAuthState(
                state=random_token(32),
                provider=gateway.name,
                redirect_uri=redirect_uri,
                frontend_origin=frontend_origin,
                created_at=now,
                code_verifier=verifier,
                nonce=nonce,
                device_id=device_id,
                link=link,
            )
            # The URL first: a provider that cannot be reached leaves no state behind.
            url = await gateway.authorization_url(
                state=pending.state,
                redirect_uri=redirect_uri,
                code_challenge=challenge,
                nonce=nonce,
            )
            if await self._states.save(pending, self._ttl):
                return OAuthAuthorizeResponse(
                    authorization_url=url,
                    state=pending.state,
                    expires_at=now + timedelta(seconds=self._ttl),
                )
        raise StateCollisionError

    async def consume_state(self, state: str | None) -> OAuthState:
        """Use up ``state``: it never works twice, even when two callbacks race.

        :raises InvalidStateError: missing, unknown, expired or already used.
        :raises OAuthStateUnavailableError: the state store did not answer.
        """
        if not state:
            raise InvalidStateError
        pending = await self._states.consume(state)
        if pending is None:
            raise InvalidStateError
        return pending

    async def fetch_profile(
        self, pending: OAuthState, code: str, user_details: str | None = None
    ) -> ProviderProfile:
        """Exchange ``code`` with the verifier and nonce of ``pending``.

        ``user_details``: what a form_post provider posted with the code (see
        ``ProviderGateway.fetch_profile``).

        :raises ProviderNotFoundError, ProviderNotConfiguredError:
        :raises OAuthProviderError, IdTokenInvalidError, NonceMismatchError:
        """
        gateway = self._providers.get(pending.provider)
        return await gateway.fetch_profile(
            code=code,
            state=pending.state,
            redirect_uri=pending.redirect_uri,
            code_verifier=pending.code_verifier,
            nonce=pending.nonce,
            user_details=user_details,
        )
