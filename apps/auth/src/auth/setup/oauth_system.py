"""Composition of the OAuth login: provider adapters, state store, users client, and the
verifiers of the providers' unlink notices.

Built once per process in the app lifespan and kept on `app.state.oauth`; its
two pooled httpx clients (providers, users service) close on shutdown. The user
agent parser (what a login records of the device) is built in a thread by `start`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import httpx

from auth.application.oauth.ports.provider_gateway import ProviderGateway
from auth.application.oauth.ports.provider_registry import ProviderRegistry
from auth.application.oauth.services.oauth_flow_service import OAuthFlowService
from auth.application.oauth.services.redirect_policy import RedirectPolicy
from auth.application.unlink_notice.ports.unlink_notice_verifier import UnlinkNoticeVerifier
from auth.infrastructure.oauth.apple_client_secret import AppleClientSecret
from auth.infrastructure.oauth.apple_provider_gateway import HttpxAppleProviderGateway
from auth.infrastructure.oauth.kakao_provider_gateway import HttpxKakaoProviderGateway
from auth.infrastructure.oauth.naver_legacy_provider_gateway import (
    HttpxNaverLegacyProviderGateway,
)
from auth.infrastructure.oauth.naver_oidc_provider_gateway import HttpxNaverOidcProviderGateway
from auth.infrastructure.oauth.oidc_metadata import (
    DiscoveredOidcMetadata,
    OidcMetadata,
    StaticOidcMetadata,
)
from auth.infrastructure.oauth.oidc_provider_gateway import HttpxOidcProviderGateway
from auth.infrastructure.oauth.provider_registry import StaticProviderRegistry
from auth.infrastructure.oauth.redis_state_store import RedisStateStore
from auth.infrastructure.persistence_redis.keys import RedisKeys
from auth.infrastructure.security.aes_gcm_key_ring import AesGcmKeyRing
from auth.infrastructure.unlink_notice.kakao_unlink_notice_verifier import (
    KakaoAdminKeyNoticeVerifier,
)
from auth.infrastructure.unlink_notice.naver_unlink_notice_verifier import (
    NaverHmacNoticeVerifier,
)
from auth.infrastructure.unlink_notice.redis_notice_replay_guard import RedisNoticeReplayGuard
from auth.infrastructure.user_agent.ua_parser_user_agent_parser import UaParserUserAgentParser
from auth.infrastructure.users_client.circuit_breaker import CircuitBreaker
from auth.infrastructure.users_client.httpx_user_gateways import (
    HttpxUserCommandGateway,
    HttpxUserQueryGateway,
)
from auth.infrastructure.users_client.users_api_client import UsersApiClient
from auth.setup.oauth_settings import (
    BUILT_IN_PROVIDERS,
    DEV_PROVIDER,
    AppleSettings,
    NaverSettings,
    OAuthSettings,
    StaticOidcClient,
    UsersApiSettings,
)
from auth.setup.provider_unlink_system import build_key_ring
from auth.setup.settings import AuthSettings
from kernel.clock import Clock, SystemClock
from servicekit.client_ip import IpNetwork, trusted_networks
from servicekit.redis import RedisClient


@dataclass(frozen=True)
class OAuthSystem:
    flow: OAuthFlowService
    providers: ProviderRegistry
    policy: RedirectPolicy
    user_commands: HttpxUserCommandGateway
    user_queries: HttpxUserQueryGateway
    trusted_proxies: tuple[IpNetwork, ...]
    user_agents: UaParserUserAgentParser
    known_providers: frozenset[str]
    provider_http: httpx.AsyncClient
    users_http: httpx.AsyncClient
    # Seals the providers' refresh tokens kept at each login (None: not kept, local/test).
    provider_token_ring: AesGcmKeyRing | None
    clock: Clock
    link_recent_sign_in: timedelta
    unlink_verifiers: dict[str, UnlinkNoticeVerifier]
    notice_replays: RedisNoticeReplayGuard
    notice_max_age: timedelta
    notice_deadline_seconds: float

    @classmethod
    def build(
        cls, settings: AuthSettings, redis: RedisClient, clock: Clock | None = None
    ) -> OAuthSystem:
        """:raises ValueError: no users service credential or no provider token key ring
        outside the local/test profiles, a bad key in the ring, or Apple's private key is
        not a P-256 key in PEM."""
        clock = clock or SystemClock()
        oauth = settings.oauth
        if not settings.is_local and not oauth.users.token.get_secret_value():
            raise ValueError("AUTH_OAUTH__USERS__TOKEN is required outside the local/test profiles")
        provider_token_ring = build_key_ring(settings)
        provider_http = httpx.AsyncClient(
            timeout=httpx.Timeout(oauth.provider_timeout_seconds), follow_redirects=False
        )
        users = oauth.users
        users_http = httpx.AsyncClient(
            base_url=users.url,
            limits=httpx.Limits(
                max_connections=users.max_connections,
                max_keepalive_connections=users.max_connections,
            ),
        )
        client = build_users_client(users, users_http, clock)
        configured = build_providers(
            oauth, provider_http, clock, dev_enabled=settings.dev_provider_enabled
        )
        known = frozenset((*BUILT_IN_PROVIDERS, *oauth.oidc, *configured))
        registry = StaticProviderRegistry(
            known=known, configured=configured, display_names=oauth.provider_labels()
        )
        keys = RedisKeys(settings.redis_key_prefix)
        return cls(
            flow=OAuthFlowService(
                state_store=RedisStateStore(redis, keys),
                providers=registry,
                clock=clock,
                state_ttl_seconds=oauth.state_ttl_seconds,
            ),
            providers=registry,
            policy=RedirectPolicy(
                callback_base_url=oauth.callback_base_url,
                allowed_redirect_uris=oauth.allowed_redirect_uris,
                default_frontend_origin=oauth.frontend_origin,
                allowed_frontend_origins=oauth.allowed_frontend_origins,
                success_path=oauth.frontend_success_path,
                error_path=oauth.frontend_error_path,
                link_path=oauth.frontend_link_path,
            ),
            user_commands=HttpxUserCommandGateway(client),
            trusted_proxies=trusted_networks(oauth.trusted_proxies),
            user_agents=UaParserUserAgentParser(),
            known_providers=known,
            provider_http=provider_http,
            users_http=users_http,
            provider_token_ring=provider_token_ring,
            clock=clock,
            user_queries=HttpxUserQueryGateway(client),
            link_recent_sign_in=timedelta(seconds=oauth.link_recent_sign_in_seconds),
            unlink_verifiers=build_unlink_verifiers(oauth),
            notice_replays=RedisNoticeReplayGuard(redis, keys),
            notice_max_age=timedelta(seconds=oauth.unlink_notices.max_age_seconds),
            notice_deadline_seconds=oauth.unlink_notices.deadline_seconds,
        )

    async def start(self) -> None:
        """Build the user agent parser off the event loop (its regexes compile once per
        process), so the first login does not wait for it."""
        await asyncio.to_thread(self.user_agents.load)

    async def close(self) -> None:
        await self.provider_http.aclose()
        await self.users_http.aclose()


def build_users_client(
    users: UsersApiSettings, http: httpx.AsyncClient, clock: Clock
) -> UsersApiClient:
    """The users API client over ``http``, with its retry policy and circuit breaker."""
    return UsersApiClient(
        http,
        service_token=users.token.get_secret_value(),
        timeout_seconds=users.timeout_seconds,
        max_attempts=users.max_attempts,
        backoff_seconds=users.backoff_seconds,
        breaker=CircuitBreaker(
            failure_threshold=users.breaker_failures,
            probe_interval=timedelta(seconds=users.breaker_probe_seconds),
            clock=clock,
        ),
    )


def build_unlink_verifiers(oauth: OAuthSettings) -> dict[str, UnlinkNoticeVerifier]:
    """A verifier for each provider whose unlink notices can be checked: Kakao with its
    admin key and app id, Naver with its client id and secret."""
    verifiers: dict[str, UnlinkNoticeVerifier] = {}
    kakao = oauth.kakao
    if kakao.accepts_unlink_notices:
        verifiers["kakao"] = KakaoAdminKeyNoticeVerifier(
            admin_key=kakao.admin_key.get_secret_value(), app_id=kakao.app_id
        )
    naver = oauth.naver
    if naver.configured:
        verifiers["naver"] = NaverHmacNoticeVerifier(
            client_id=naver.client_id, client_secret=naver.client_secret.get_secret_value()
        )
    return verifiers


def _static_metadata(client: StaticOidcClient) -> StaticOidcMetadata:
    return StaticOidcMetadata(
        OidcMetadata(
            issuer=client.issuer,
            authorization_endpoint=client.authorization_url,
            token_endpoint=client.token_url,
            jwks_uri=client.jwks_url,
            userinfo_endpoint=client.userinfo_url,
        )
    )


def build_providers(
    oauth: OAuthSettings, http: httpx.AsyncClient, clock: Clock, *, dev_enabled: bool = False
) -> dict[str, ProviderGateway]:
    """A gateway for every provider that has its credentials, and with ``dev_enabled``
    provider `dev` (the local OpenID Connect provider).

    :raises ValueError: Apple's private key is not a P-256 key in PEM.
    """
    cache = timedelta(seconds=oauth.metadata_cache_seconds)
    providers: dict[str, ProviderGateway] = {}
    google = oauth.google
    if google.configured:
        providers["google"] = HttpxOidcProviderGateway(
            name="google",
            http=http,
            metadata=_static_metadata(google),
            client_id=google.client_id,
            client_secret=google.client_secret.get_secret_value(),
            scopes=google.scopes,
            clock=clock,
            jwks_ttl=cache,
            token_auth_method="client_secret_post",  # noqa: S106 - a method name
            # Google documents both forms of its issuer in id_tokens.
            extra_issuers=("accounts.google.com",)
            if google.issuer == "https://accounts.google.com"
            else (),
        )
    kakao = oauth.kakao
    if kakao.configured:
        providers["kakao"] = HttpxKakaoProviderGateway(
            name="kakao",
            http=http,
            metadata=_static_metadata(kakao),
            client_id=kakao.client_id,
            client_secret=kakao.client_secret.get_secret_value(),
            scopes=kakao.scopes,
            clock=clock,
            jwks_ttl=cache,
            token_auth_method="client_secret_post",  # noqa: S106 - a method name
        )
    if oauth.naver.configured:
        providers["naver"] = _naver(oauth.naver, http, clock, cache)
    if oauth.apple.configured:
        providers["apple"] = _apple(oauth.apple, http, clock, cache)
    for name, oidc in oauth.oidc.items():
        if oidc.configured:
            providers[name] = HttpxOidcProviderGateway(
                name=name,
                http=http,
                metadata=DiscoveredOidcMetadata(http, oidc.issuer, clock=clock, ttl=cache),
                client_id=oidc.client_id,
                client_secret=oidc.client_secret.get_secret_value(),
                scopes=oidc.scopes,
                clock=clock,
                jwks_ttl=cache,
                pkce=oidc.pkce,
                token_auth_method=oidc.token_auth_method,
            )
    if dev_enabled:
        dev = oauth.dev
        providers[DEV_PROVIDER] = HttpxOidcProviderGateway(
            name=DEV_PROVIDER,
            http=http,
            metadata=DiscoveredOidcMetadata(http, dev.issuer, clock=clock, ttl=cache),
            client_id=dev.client_id,
            client_secret=dev.client_secret.get_secret_value(),
            scopes="openid email profile",
            clock=clock,
            jwks_ttl=cache,
        )
    return providers


def _naver(
    naver: NaverSettings, http: httpx.AsyncClient, clock: Clock, cache: timedelta
) -> ProviderGateway:
    """Naver's OpenID Connect endpoints by discovery, or its legacy ones if configured so."""
    if naver.flow == "legacy":
        return HttpxNaverLegacyProviderGateway(
            http=http,
            client_id=naver.client_id,
            client_secret=naver.client_secret.get_secret_value(),
            authorization_url=naver.authorization_url,
            token_url=naver.token_url,
            profile_url=naver.profile_url,
        )
    return HttpxNaverOidcProviderGateway(
        name="naver",
        http=http,
        metadata=DiscoveredOidcMetadata(http, naver.issuer, clock=clock, ttl=cache),
        client_id=naver.client_id,
        client_secret=naver.client_secret.get_secret_value(),
        scopes=naver.scopes,
        clock=clock,
        jwks_ttl=cache,
        token_auth_method="client_secret_post",  # noqa: S106 - a method name
    )


def _apple(
    apple: AppleSettings, http: httpx.AsyncClient, clock: Clock, cache: timedelta
) -> ProviderGateway:
    """Sign in with Apple: form_post callback, a client secret signed per token request."""
    return HttpxAppleProviderGateway(
        name="apple",
        http=http,
        metadata=StaticOidcMetadata(
            OidcMetadata(
                issuer=apple.issuer,
                authorization_endpoint=apple.authorization_url,
                token_endpoint=apple.token_url,
                jwks_uri=apple.jwks_url,
            )
        ),
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
        scopes=apple.scopes,
        clock=clock,
        jwks_ttl=cache,
        pkce=apple.pkce,
        token_auth_method="client_secret_post",  # noqa: S106 - a method name
        response_mode="form_post",
    )
