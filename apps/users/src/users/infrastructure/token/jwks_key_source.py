"""auth's published keys (JWKS), cached, refetched on an unknown ``kid``."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
from jwt import PyJWK, PyJWTError

from users.application.common.exceptions.access_token import TokenKeysUnavailableError
from users.infrastructure.token.key_source import KeySource

logger = logging.getLogger(__name__)

SUPPORTED_ALGORITHMS = frozenset({"EdDSA", "ES256"})


class JwksKeySource(KeySource):
    """Keys are fetched lazily and kept as long as the response's ``Cache-Control``
    allows (``max-age`` less ``Age``; ``no-cache``/``no-store``: not at all), or
    ``cache_seconds`` when it says nothing: auth's key rotation counts on that
    lifetime. An unknown ``kid`` (auth rotated its key) triggers a refetch, but
    never sooner than ``min_refresh_seconds`` after the previous fetch, so garbage
    kids cannot make this service hammer auth. Concurrent misses share one fetch.
    When a refetch fails, the keys already known keep working (logged); with none
    known, the caller gets :class:`TokenKeysUnavailableError`."""

    def __init__(
        self,
        url: str,
        http: httpx.AsyncClient,
        *,
        cache_seconds: float,
        min_refresh_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._http = http
        self._cache_seconds = cache_seconds
        self._min_refresh_seconds = min_refresh_seconds
        self._monotonic = monotonic
        self._keys: dict[str, PyJWK] = {}
        self._fresh_for = cache_seconds
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str | None) -> PyJWK | None:
        if kid is None:
            return None
        if kid in self._keys and not self._stale():
            return self._keys[kid]
        async with self._lock:
            if (kid not in self._keys or self._stale()) and self._may_fetch():
                await self._refresh()
        if not self._keys:
            raise TokenKeysUnavailableError()
        return self._keys.get(kid)

    def _stale(self) -> bool:
        return self._fetched_at is None or self._monotonic() - self._fetched_at >= self._fresh_for

    def _may_fetch(self) -> bool:
        return (
            self._attempted_at is None
            or self._monotonic() - self._attempted_at >= self._min_refresh_seconds
        )

    async def _refresh(self) -> None:
        """Fetch the JWKS; on failure keep the keys already known (logged)."""
        self._attempted_at = self._monotonic()
        try:
            response = await self._http.get(self._url)
            response.raise_for_status()
            keys = _parse(response.json())
        except (httpx.HTTPError, ValueError) as error:
            logger.warning("fetching the JWKS failed: %s", type(error).__name__)
            return
        self._keys = keys
        self._fresh_for = _freshness(response.headers, self._cache_seconds)
        self._fetched_at = self._attempted_at


def _freshness(headers: httpx.Headers, default: float) -> float:
    """Seconds a response may be used (RFC 9111): ``max-age`` less ``Age``, none with
    ``no-cache`` or ``no-store``, `default` when ``Cache-Control`` says neither."""
    directives = {
        name.strip().lower(): value.strip().strip('"')
        for name, _, value in (
            part.partition("=") for part in headers.get("cache-control", "").split(",")
        )
    }
    if "no-store" in directives or "no-cache" in directives:
        return 0.0
    try:
        max_age = int(directives["max-age"])
    except (KeyError, ValueError):
        return default
    try:
        age = int(headers.get("age", "0"))
    except ValueError:
        age = 0
    return float(max(0, max_age - max(0, age)))


def _parse(document: Any) -> dict[str, PyJWK]:
    """The usable signing keys of a JWKS document, by kid (others are skipped)."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document")
    keys: dict[str, PyJWK] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        if entry.get("use", "sig") != "sig":
            continue
        try:
            key = PyJWK(entry)
        except (PyJWTError, KeyError, TypeError, ValueError):
            continue
        if key.algorithm_name in SUPPORTED_ALGORITHMS:
            keys[entry["kid"]] = key
    return keys
