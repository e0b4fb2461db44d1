"""Build the verifiers of auth's tokens the settings describe: access tokens and restore
tickets, on one source of auth's public keys."""

from __future__ import annotations

import httpx

from users.infrastructure.token.jwks_key_source import JwksKeySource
from users.infrastructure.token.key_source import KeySource
from users.infrastructure.token.pyjwt_access_token_verifier import PyJwtAccessTokenVerifier
from users.infrastructure.token.pyjwt_restore_ticket_verifier import PyJwtRestoreTicketVerifier
from users.infrastructure.token.static_key_source import StaticKeySource
from users.infrastructure.token.verified_token_cache import VerifiedTokenCache
from users.setup.access_token_settings import AccessTokenSettings


def build_key_source(settings: AccessTokenSettings, http: httpx.AsyncClient) -> KeySource:
    """A configured PEM wins over the JWKS URL."""
    if settings.public_key_pem:
        return StaticKeySource(settings.public_key_pem)
    return JwksKeySource(
        settings.jwks_url,
        http,
        cache_seconds=settings.jwks_cache_seconds,
        min_refresh_seconds=settings.jwks_min_refresh_seconds,
    )


def build_verifier(settings: AccessTokenSettings, keys: KeySource) -> PyJwtAccessTokenVerifier:
    return PyJwtAccessTokenVerifier(
        keys,
        issuer=settings.issuer,
        audience=settings.audience,
        leeway=settings.leeway_seconds,
        cache=VerifiedTokenCache(settings.verify_cache_size)
        if settings.verify_cache_size
        else None,
    )


def build_restore_ticket_verifier(
    settings: AccessTokenSettings, keys: KeySource
) -> PyJwtRestoreTicketVerifier:
    return PyJwtRestoreTicketVerifier(
        keys, issuer=settings.issuer, audience=settings.audience, leeway=settings.leeway_seconds
    )
