"""A provider's signing keys (JWKS), cached, refetched on an unknown key id."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import httpx
import jwt

from auth.application.oauth.exceptions.oauth import IdTokenInvalidError
from auth.infrastructure.oauth.provider_http import get_json
from kernel.clock import Clock

JwksUri = Callable[[], Awaitable[str]]


class JwksCache:
    """Keys by ``kid``. Kept for ``ttl``; an unknown ``kid`` triggers one refetch
    (key rotation at the provider), at most once per ``min_refresh`` so forged
    kids cannot make us hammer the provider."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        jwks_uri: JwksUri,
        *,
        clock: Clock,
        ttl: timedelta,
        min_refresh: timedelta = timedelta(seconds=30),
    ) -> None:
        self._http = http
        self._jwks_uri = jwks_uri
        self._clock = clock
        self._ttl = ttl
        self._min_refresh = min_refresh
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: datetime | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str | None) -> jwt.PyJWK:
        """The key ``kid`` names (or the only key, when the token names none).

        :raises IdTokenInvalidError: no such key, even after a refetch.
        :raises OAuthProviderError: the JWKS could not be fetched.
        """
        if self._stale(self._ttl):
            await self._refresh(self._ttl)
        found = self._find(kid)
        if found is None:
            await self._refresh(self._min_refresh)
            found = self._find(kid)
        if found is None:
            raise IdTokenInvalidError("the id_token is signed with an unknown key")
        return found

    def _find(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None:
            return next(iter(self._keys.values())) if len(self._keys) == 1 else None
        return self._keys.get(kid)

    def _stale(self, age: timedelta) -> bool:
        return self._fetched_at is None or self._clock.now() - self._fetched_at >= age

    async def _refresh(self, age: timedelta) -> None:
        async with self._lock:
            if not self._stale(age):
                return  # another caller refreshed while we waited
            document = await get_json(self._http, await self._jwks_uri())
            keys: dict[str, jwt.PyJWK] = {}
            for index, entry in enumerate(document.get("keys", [])):
                if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
                    continue
                try:
                    key = jwt.PyJWK(entry)
                except jwt.PyJWTError:
                    continue  # a key type we do not support; others may still verify
                keys[str(entry.get("kid", f"#{index}"))] = key
            self._keys = keys
            self._fetched_at = self._clock.now()
