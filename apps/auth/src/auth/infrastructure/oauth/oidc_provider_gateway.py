"""ProviderGateway for OpenID Connect providers: Google, and any issuer by discovery."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta
from typing import Any, Literal
from urllib.parse import urlencode

import httpx

from auth.application.oauth.dto.provider_profile import ProviderProfile
from auth.application.oauth.dto.response_mode import ResponseMode
from auth.application.oauth.exceptions.oauth import IdTokenInvalidError, OAuthProviderError
from auth.application.oauth.ports.provider_gateway import ProviderGateway
from auth.infrastructure.oauth.client_secret import ClientSecret, StaticClientSecret
from auth.infrastructure.oauth.id_token_verifier import IdTokenVerifier
from auth.infrastructure.oauth.jwks_cache import JwksCache
from auth.infrastructure.oauth.oidc_metadata import OidcMetadataSource
from auth.infrastructure.oauth.provider_http import (
    get_json,
    optional_str,
    post_token_request,
    require_str,
)
from kernel.clock import Clock

TokenAuthMethod = Literal["client_secret_basic", "client_secret_post"]


class HttpxOidcProviderGateway(ProviderGateway):
    """Authorization code flow with PKCE and nonce; the id_token is verified
    (JWKS signature, iss, aud, exp, nonce) before anything else is believed.

    The profile comes from the id_token's standard claims, completed from the
    UserInfo endpoint when the provider has one (its ``sub`` must match). The token
    response's refresh token, if any, is handed on with the profile.

    The client secret is a configured string, or a ``ClientSecret`` that makes one per
    token request (Apple's). Provider variants override the hooks: ``_token_form`` (what
    the token request carries) and ``_profile`` (where the profile comes from).
    """

    uses_nonce = True

    def __init__(
        self,
        *,
        name: str,
        http: httpx.AsyncClient,
        metadata: OidcMetadataSource,
        client_id: str,
        client_secret: str | ClientSecret,
        scopes: str,
        clock: Clock,
        jwks_ttl: timedelta,
        pkce: bool = True,
        token_auth_method: TokenAuthMethod = "client_secret_basic",  # noqa: S107 - a method name
        response_mode: ResponseMode = "query",
        extra_issuers: Iterable[str] = (),
    ) -> None:
        self._name = name
        self._http = http
        self._metadata = metadata
        self._client_id = client_id
        self._client_secret = (
            StaticClientSecret(client_secret) if isinstance(client_secret, str) else client_secret
        )
        self._scopes = scopes
        self._pkce = pkce
        self._auth_method = token_auth_method
        self._response_mode: ResponseMode = response_mode
        self._extra_issuers = tuple(extra_issuers)
        self._jwks = JwksCache(http, self._jwks_uri, clock=clock, ttl=jwks_ttl)
        self._verifier: IdTokenVerifier | None = None

    @property
    def name(self) -> str:
        return self._name

    @property
    def supports_pkce(self) -> bool:
        return self._pkce

    @property
    def response_mode(self) -> ResponseMode:
        return self._response_mode

    async def authorization_url(
        self, *, state: str, redirect_uri: str, code_challenge: str | None, nonce: str | None
    ) -> str:
        metadata = await self._metadata.get()
        query = {
            "response_type": "code",
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "scope": self._scopes,
            "state": state,
        }
        if self._response_mode != "query":
            query["response_mode"] = self._response_mode
        if nonce is not None:
            query["nonce"] = nonce
        if code_challenge is not None:
            query |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
        separator = "&" if "?" in metadata.authorization_endpoint else "?"
        return metadata.authorization_endpoint + separator + urlencode(query)

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
        metadata = await self._metadata.get()
        form = self._token_form(
            code=code, state=state, redirect_uri=redirect_uri, code_verifier=code_verifier
        )
        basic_auth = None
        if self._auth_method == "client_secret_post":
            form |= {"client_id": self._client_id, "client_secret": self._client_secret.value()}
        else:
            basic_auth = (self._client_id, self._client_secret.value())
        tokens = await post_token_request(
            self._http, metadata.token_endpoint, form, basic_auth=basic_auth
        )
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise IdTokenInvalidError("the token response has no id_token")
        claims = await (await self._id_token_verifier()).verify(id_token, nonce)
        access_token = require_str(tokens, "access_token", "token response")
        profile = await self._profile(claims, access_token, user_details)
        return replace(profile, refresh_token=optional_str(tokens.get("refresh_token")))

    def _token_form(
        self, *, code: str, state: str, redirect_uri: str, code_verifier: str | None
    ) -> dict[str, str]:
        """The token request's grant (the client authentication is added after)."""
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if code_verifier is not None:
            form["code_verifier"] = code_verifier
        return form

    async def _profile(
        self, claims: dict[str, Any], access_token: str, user_details: str | None
    ) -> ProviderProfile:
        """The profile of the verified ``claims`` (``user_details`` is not used here)."""
        metadata = await self._metadata.get()
        merged = dict(claims)
        if metadata.userinfo_endpoint is not None and not {"email", "name"} <= claims.keys():
            userinfo = await get_json(self._http, metadata.userinfo_endpoint, bearer=access_token)
            if userinfo.get("sub") != claims["sub"]:
                raise OAuthProviderError("UserInfo describes another subject")
            merged = {**userinfo, **claims}
        return ProviderProfile(
            provider=self._name,
            provider_user_id=claims["sub"],
            email=optional_str(merged.get("email")),
            email_verified=merged.get("email_verified") is True,
            nickname=optional_str(merged.get("nickname"))
            or optional_str(merged.get("name"))
            or optional_str(merged.get("preferred_username")),
            profile_image_url=optional_str(merged.get("picture")),
        )

    async def _jwks_uri(self) -> str:
        return (await self._metadata.get()).jwks_uri

    async def _id_token_verifier(self) -> IdTokenVerifier:
        if self._verifier is None:
            issuer = (await self._metadata.get()).issuer
            self._verifier = IdTokenVerifier(
                self._jwks, issuers=(issuer, *self._extra_issuers), client_id=self._client_id
            )
        return self._verifier
