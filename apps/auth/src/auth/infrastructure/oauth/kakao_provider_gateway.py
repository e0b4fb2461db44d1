"""ProviderGateway for Kakao Login with OpenID Connect enabled.

Kakao issues an id_token when the `openid` scope is requested; it is verified
against Kakao's JWKS and issuer like any OIDC token. The profile then comes
from `GET /v2/user/me` (`kakao_account`), whose `id` must be the token's `sub`.
"""

from __future__ import annotations

from typing import Any

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.exceptions.oauth import OAuthProviderError
from auth.infrastructure.oauth.oidc_provider_gateway import HttpxOidcProviderGateway
from auth.infrastructure.oauth.provider_http import get_json, optional_str


class HttpxKakaoProviderGateway(HttpxOidcProviderGateway):
    """Kakao: client_secret_post token requests, PKCE, nonce, Kakao's user API."""

    async def _profile(
        self, claims: dict[str, Any], access_token: str, user_details: str | None
    ) -> ProviderProfile:
        metadata = await self._metadata.get()
        if metadata.userinfo_endpoint is None:
            raise OAuthProviderError("no Kakao user API configured")
        user = await get_json(self._http, metadata.userinfo_endpoint, bearer=access_token)
        if str(user.get("id")) != claims["sub"]:
            raise OAuthProviderError("Kakao's user API describes another user")
        account = user.get("kakao_account")
        account = account if isinstance(account, dict) else {}
        profile = account.get("profile")
        profile = profile if isinstance(profile, dict) else {}
        return ProviderProfile(
            provider=self.name,
            provider_user_id=claims["sub"],
            email=optional_str(account.get("email")),
            email_verified=account.get("is_email_valid") is True
            and account.get("is_email_verified") is True,
            nickname=optional_str(profile.get("nickname")) or optional_str(claims.get("nickname")),
            profile_image_url=optional_str(profile.get("profile_image_url"))
            or optional_str(claims.get("picture")),
        )
