"""ProviderGateway for Naver Login through its OpenID Connect endpoints.

Discovery at `https://nid.naver.com/.well-known/openid-configuration` names
`/oauth2/authorize`, `/oauth2/token` (`client_secret_post`), the JWKS at
`/oauth2/jwks` (RS256) and PKCE S256; the scopes are `openid profile`. The id_token
is verified like any OIDC issuer's (signature, iss, aud, exp, nonce). Naver's
`userinfo_endpoint` is its member profile API, whose answer is not standard UserInfo
(the member sits in `response`, see `naver_profile`), so the profile comes from there.
"""

from __future__ import annotations

from typing import Any

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.exceptions.oauth import OAuthProviderError
from auth.infrastructure.oauth.naver_profile import fetch_naver_profile
from auth.infrastructure.oauth.oidc_provider_gateway import HttpxOidcProviderGateway


class HttpxNaverOidcProviderGateway(HttpxOidcProviderGateway):
    """Naver OIDC: PKCE, nonce, a verified id_token; the profile from `response`.

    The token request repeats the state (Naver's guide lists it as required). The
    member profile's `id` and the id_token's `sub` both name the member per
    application; a profile whose `id` differs from `sub` is refused rather than
    believed (an account keyed by the legacy flow's `id` must stay the same account).
    """

    def _token_form(
        self, *, code: str, state: str, redirect_uri: str, code_verifier: str | None
    ) -> dict[str, str]:
        form = super()._token_form(
            code=code, state=state, redirect_uri=redirect_uri, code_verifier=code_verifier
        )
        return form | {"state": state}

    async def _profile(
        self, claims: dict[str, Any], access_token: str, user_details: str | None
    ) -> ProviderProfile:
        metadata = await self._metadata.get()
        if metadata.userinfo_endpoint is None:
            raise OAuthProviderError("Naver's discovery document names no profile API")
        profile = await fetch_naver_profile(
            self._http, metadata.userinfo_endpoint, access_token, provider=self.name
        )
        if profile.provider_user_id != claims["sub"]:
            raise OAuthProviderError("Naver's profile API describes another member")
        return profile
