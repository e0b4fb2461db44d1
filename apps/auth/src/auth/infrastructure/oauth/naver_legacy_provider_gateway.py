"""ProviderGateway for Naver Login's legacy OAuth 2.0 endpoints (no id_token, no PKCE).

Used only when `AUTH_OAUTH__NAVER__FLOW=legacy`; the default is Naver's OpenID
Connect endpoints (`naver_oidc_provider_gateway`). The token request repeats the
state; the profile is `GET /v1/nid/me` (see `naver_profile`).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import httpx

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.dto.response_mode import ResponseMode
from auth.application.oauth.ports.provider_gateway import ProviderGateway
from auth.infrastructure.oauth.naver_profile import fetch_naver_profile
from auth.infrastructure.oauth.provider_http import (
    optional_str,
    post_token_request,
    require_str,
)


class HttpxNaverLegacyProviderGateway(ProviderGateway):
    """Naver's `/oauth2.0/` endpoints: state only (no PKCE, no nonce)."""

    supports_pkce = False
    uses_nonce = False
    response_mode: ResponseMode = "query"

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
        user_details: str | None = None,
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
        profile = await fetch_naver_profile(
            self._http, self._profile_url, access_token, provider=self._name
        )
        return replace(profile, refresh_token=optional_str(tokens.get("refresh_token")))
