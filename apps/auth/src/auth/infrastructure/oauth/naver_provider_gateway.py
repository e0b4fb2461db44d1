"""ProviderGateway for Naver Login: plain OAuth 2.0 (no id_token, no PKCE).

The token request repeats the state; the profile is `GET /v1/nid/me`, whose
answer wraps the user in `response` next to `resultcode` ("00" on success).
Naver does not say whether an email is verified, so it never counts as verified.
"""

from __future__ import annotations

from urllib.parse import urlencode

import httpx

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.exceptions.oauth import OAuthProviderError
from auth.application.oauth.ports.provider_gateway import ProviderGateway
from auth.infrastructure.oauth.provider_http import (
    get_json,
    optional_str,
    post_token_request,
    require_str,
)


class HttpxNaverProviderGateway(ProviderGateway):
    """Naver: state only (no PKCE, no nonce)."""

    supports_pkce = False
    uses_nonce = False

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        client_id: str,
        client_secret: str,
        authorization_url: str,
        token_url: str,
        profile_url: str,
        name: str = "naver",
    ) -> None:
        self._http = http
        self._client_id = client_id
        self._client_secret = client_secret
        self._authorization_url = authorization_url
        self._token_url = token_url
        self._profile_url = profile_url
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    async def authorization_url(
        self, *, state: str, redirect_uri: str, code_challenge: str | None, nonce: str | None
    ) -> str:
        query = {
            "response_type": "code",
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "state": state,
        }
        return f"{self._authorization_url}?{urlencode(query)}"

    async def fetch_profile(
        self,
        *,
        code: str,
        state: str,
        redirect_uri: str,
        code_verifier: str | None,
        nonce: str | None,
    ) -> ProviderProfile:
        tokens = await post_token_request(
            self._http,
            self._token_url,
            {
                "grant_type": "authorization_code",
                "client_id": self._client_id,
                "client_secret": self._client_secret,
                "code": code,
                "state": state,
            },
        )
        access_token = require_str(tokens, "access_token", "token response")
        body = await get_json(self._http, self._profile_url, bearer=access_token)
        user = body.get("response")
        if body.get("resultcode") != "00" or not isinstance(user, dict):
            raise OAuthProviderError(f"Naver profile call failed: {body.get('resultcode')!r}")
        return ProviderProfile(
            provider=self._name,
            provider_user_id=require_str(user, "id", "Naver profile"),
            email=optional_str(user.get("email")),
            email_verified=False,
            nickname=optional_str(user.get("nickname")) or optional_str(user.get("name")),
            profile_image_url=optional_str(user.get("profile_image")),
        )
