"""Port: one OAuth 2.0 / OpenID Connect provider."""

from __future__ import annotations

from typing import Protocol

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.dto.response_mode import ResponseMode


class ProviderGateway(Protocol):
    """Builds the provider's authorization URL and turns a returned code into a
    verified profile (code exchange, id_token verification for OIDC providers,
    profile fetch)."""

    @property
    def name(self) -> str:
        """The provider's name in URLs and audits (`google`, `kakao`, ...)."""
        ...

    @property
    def supports_pkce(self) -> bool:
        """True when the provider accepts a PKCE S256 challenge."""
        ...

    @property
    def uses_nonce(self) -> bool:
        """True for OpenID Connect providers (an id_token carries the nonce back)."""
        ...

    @property
    def response_mode(self) -> ResponseMode:
        """How the provider returns to the callback: a redirect (``query``) or a posted
        form (``form_post``); an answer that comes the other way is refused."""
        ...

    async def authorization_url(
        self, *, state: str, redirect_uri: str, code_challenge: str | None, nonce: str | None
    ) -> str:
        """The URL to send the browser to.

        :raises OAuthProviderError: the provider's metadata could not be loaded.
        """
        ...

    async def fetch_profile(
        self,
        *,
        code: str,
        state: str,
        redirect_uri: str,
        code_verifier: str | None,
        nonce: str | None,
        user_details: str | None = None,
    ) -> ProviderProfile:
        """Exchange ``code`` (some providers want the ``state`` again) and return
        the identity the provider vouches for, with the refresh token the exchange
        gave (if any).

        ``user_details`` is what a form_post provider posted next to the code on the
        user's first authorization (Apple's ``user`` JSON); it is not signed, so at most
        display data (the name) is taken from it, never the identity or the e-mail.

        :raises OAuthProviderError: the exchange or profile call failed.
        :raises IdTokenInvalidError: the id_token's signature, iss, aud or exp is wrong.
        :raises NonceMismatchError: the id_token carries another nonce.
        """
        ...
