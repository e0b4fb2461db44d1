"""Composition of the provider links: the key ring sealing the providers' refresh tokens,
and the unlinker of each configured provider."""

from __future__ import annotations

import logging
from datetime import timedelta

import httpx

from auth.application.provider_link.ports.provider_unlinker import ProviderUnlinker
from auth.infrastructure.oauth.apple_client_secret import AppleClientSecret
from auth.infrastructure.provider_unlink.apple_token_revoker import HttpxAppleTokenRevoker
from auth.infrastructure.provider_unlink.google_token_revoker import HttpxGoogleTokenRevoker
from auth.infrastructure.provider_unlink.kakao_admin_unlinker import HttpxKakaoAdminUnlinker
from auth.infrastructure.provider_unlink.naver_token_unlinker import HttpxNaverTokenUnlinker
from auth.infrastructure.security.aes_gcm_key_ring import AesGcmKeyRing
from auth.setup.oauth_settings import OAuthSettings
from auth.setup.settings import AuthSettings
from kernel.clock import Clock

logger = logging.getLogger(__name__)


def build_key_ring(settings: AuthSettings) -> AesGcmKeyRing | None:
    """The key ring of `AUTH_PROVIDER_TOKENS__…`; None (links kept without their
    tokens, with a warning) only in the local/test profiles.

    :raises ValueError: no key ring outside the local/test profiles, or a bad key.
    """
    tokens = settings.provider_tokens
    if not tokens.configured:
        if not settings.is_local:
            raise ValueError(
                "AUTH_PROVIDER_TOKENS__KEYS is required outside the local/test profiles"
                " (providers' refresh tokens are kept encrypted for unlinking at deletion)"
            )
        logger.warning(
            "AUTH_PROVIDER_TOKENS__KEYS is not set: providers' refresh tokens are not kept"
        )
        return None
    return AesGcmKeyRing.from_base64(
        {kid: key.get_secret_value() for kid, key in tokens.keys.items()}, tokens.current_kid
    )


def build_unlinkers(
    oauth: OAuthSettings, http: httpx.AsyncClient, clock: Clock
) -> dict[str, ProviderUnlinker]:
    """An unlinker for every built-in provider configured to end links: Kakao with its
    admin key, Naver, Google and Apple with their client credentials. Any other
    provider's links are recorded as skipped.

    :raises ValueError: Apple's private key is not a P-256 key in PEM.
    """
    unlinkers: dict[str, ProviderUnlinker] = {}
    kakao = oauth.kakao
    if kakao.admin_key.get_secret_value():
        unlinkers["kakao"] = HttpxKakaoAdminUnlinker(
            http, url=kakao.unlink_url, admin_key=kakao.admin_key.get_secret_value()
        )
    elif kakao.configured:
        logger.warning("AUTH_OAUTH__KAKAO__ADMIN_KEY is not set: Kakao links are skipped")
    naver = oauth.naver
    if naver.configured:
        unlinkers["naver"] = HttpxNaverTokenUnlinker(
            http,
            token_url=naver.unlink_token_url,
            client_id=naver.client_id,
            client_secret=naver.client_secret.get_secret_value(),
        )
    if oauth.google.configured:
        unlinkers["google"] = HttpxGoogleTokenRevoker(http, url=oauth.google.revocation_url)
    apple = oauth.apple
    if apple.configured:
        unlinkers["apple"] = HttpxAppleTokenRevoker(
            http,
            url=apple.revocation_url,
            client_id=apple.client_id,
            client_secret=AppleClientSecret(
                team_id=apple.team_id,
                client_id=apple.client_id,
                key_id=apple.key_id,
                private_key_pem=apple.private_key.get_secret_value(),
                audience=apple.issuer,
                ttl=timedelta(seconds=apple.client_secret_ttl_seconds),
                clock=clock,
            ),
        )
    return unlinkers
