"""Build the access token verifier the settings describe."""

from __future__ import annotations

import httpx

from users.infrastructure.token.jwks_key_source import JwksKeySource
from users.infrastructure.token.key_source import KeySource
from users.infrastructure.token.pyjwt_access_token_verifier import PyJwtAccessTokenVerifier
from users.infrastructure.token.static_key_source import StaticKeySource
from users.infrastructure.token.verified_token_cache import VerifiedTokenCache
from users.setup.access_token_settings import AccessTokenSettings


def build_verifier(
    settings: AccessTokenSettings, http: httpx.AsyncClient
) -> PyJwtAccessTokenVerifier:
    """A configured PEM wins over the JWKS URL."""
    keys: KeySource
    if settings.public_key_pem:
        keys = StaticKeySource(settings.public_key_pem)
    else:
        keys = JwksKeySource(
            settings.jwks_url,
            http,
            cache_seconds=settings.jwks_cache_seconds,
            min_refresh_seconds=settings.jwks_min_refresh_seconds,
        )
    return PyJwtAccessTokenVerifier(
        keys,
        issuer=settings.issuer,
        audience=settings.audience,
        leeway=settings.leeway_seconds,
        cache=VerifiedTokenCache(settings.verify_cache_size)
        if settings.verify_cache_size
        else None,
    )
