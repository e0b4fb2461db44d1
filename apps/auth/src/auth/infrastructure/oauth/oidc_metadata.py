"""OpenID Connect provider metadata: fixed (configured) or discovered from the issuer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import httpx

from auth.application.oauth.exceptions.oauth import OAuthProviderError
from auth.infrastructure.oauth.provider_http import get_json, optional_str, require_str
from kernel.clock import Clock


@dataclass(frozen=True, slots=True)
class OidcMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None = None


class OidcMetadataSource(Protocol):
    """Where a provider's endpoints come from."""

    async def get(self) -> OidcMetadata: ...


class StaticOidcMetadata(OidcMetadataSource):
    """Endpoints given by configuration (Google, Kakao: real ones by default)."""

    def __init__(self, metadata: OidcMetadata) -> None:
        self._metadata = metadata

    async def get(self) -> OidcMetadata:
        return self._metadata


class DiscoveredOidcMetadata(OidcMetadataSource):
    """`{issuer}/.well-known/openid-configuration`, cached for ``ttl``.

    The document must name exactly the configured issuer (OpenID Connect
    Discovery 1.0, section 4.3), or it is refused.
    """

    def __init__(
        self, http: httpx.AsyncClient, issuer: str, *, clock: Clock, ttl: timedelta
    ) -> None:
        self._http = http
        self._issuer = issuer
        self._clock = clock
        self._ttl = ttl
        self._cached: OidcMetadata | None = None
        self._fetched_at: datetime | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> OidcMetadata:
        if self._fresh():
            assert self._cached is not None
            return self._cached
        async with self._lock:
            if not self._fresh():
                self._cached = await self._fetch()
                self._fetched_at = self._clock.now()
            assert self._cached is not None
            return self._cached

    def _fresh(self) -> bool:
        return (
            self._cached is not None
            and self._fetched_at is not None
            and self._clock.now() - self._fetched_at < self._ttl
        )

    async def _fetch(self) -> OidcMetadata:
        url = self._issuer.rstrip("/") + "/.well-known/openid-configuration"
        document = await get_json(self._http, url)
        if document.get("issuer") != self._issuer:
            raise OAuthProviderError("discovery document names another issuer")
        what = "discovery document"
        return OidcMetadata(
            issuer=self._issuer,
            authorization_endpoint=require_str(document, "authorization_endpoint", what),
            token_endpoint=require_str(document, "token_endpoint", what),
            jwks_uri=require_str(document, "jwks_uri", what),
            userinfo_endpoint=optional_str(document.get("userinfo_endpoint")),
        )
