"""FastAPI dependency providers: use cases built from what the lifespan opened.

The one module of `setup` the HTTP layer imports: routers and `presentation/http/`
ask for what only the composition knows through these providers, never through
`app.state` or an adapter. Providers are `async def` so FastAPI calls them on the
event loop, not in a thread.

Process-wide objects live on `app.state` (`resources`, `tokens`, `oauth`,
`rate_limits`, `cookie_policy`); per-request ones (the database session and what
writes through it) are built here.

Rate limits (`AUTH_RATE_LIMITS__<ROUTE>__PER_<SCOPE>`): a FastAPI route is limited
per client address with ``dependencies=[Depends(ip_limited("<route>"))]``; a bare
Starlette route calls
``await rate_limit(request, "<route>", "ip").acquire(client_address(request))``;
a use case limited per session gets ``rate_limit(request, "<route>", "session")`` as
its `RateLimit` port. Over the limit each raises `RateLimitedError`: a 429 with
`Retry-After` and `RateLimit-*` headers. A new route needs its settings entry
(`auth.setup.rate_limit_settings`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, Request
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection
from starlette.types import Scope

from auth.application.admin.commands.force_logout_session import ForceLogoutSessionInteractor
from auth.application.admin.commands.force_logout_user import ForceLogoutUserInteractor
from auth.application.admin.queries.login_audit_page import LoginAuditPageQuery
from auth.application.admin.services.admin_action_recorder import AdminActionRecorder
from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.oauth.commands.authorize import OAuthAuthorizeInteractor
from auth.application.oauth.commands.authorize_link import OAuthLinkAuthorizeInteractor
from auth.application.oauth.commands.callback import OAuthCallbackInteractor
from auth.application.oauth.queries.list_providers import ListProvidersQuery
from auth.application.token.commands.logout import LogoutInteractor
from auth.application.token.commands.refresh import RefreshTokensInteractor
from auth.application.token.commands.revoke_all import RevokeAllSessionsInteractor
from auth.application.token.commands.revoke_session import RevokeSessionInteractor
from auth.application.token.queries.list_sessions import ListSessionsQueryService
from auth.application.token.queries.validate import ValidateTokenQueryService
from auth.application.token.services.token_service import TokenService
from auth.application.unlink_notice.commands.handle_unlink_notice import (
    HandleUnlinkNoticeInteractor,
)
from auth.infrastructure.observability.metrics import REVOCATIONS
from auth.infrastructure.persistence_postgres.sqla_admin_action_log import SqlaAdminActionLog
from auth.infrastructure.persistence_postgres.sqla_login_audit_gateway import (
    SqlaLoginAuditGateway,
)
from auth.infrastructure.persistence_postgres.sqla_login_audit_query_gateway import (
    SqlaLoginAuditQueryGateway,
)
from auth.infrastructure.persistence_postgres.sqla_provider_token_store import (
    SqlaProviderTokenStore,
)
from auth.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from auth.presentation.http.cookies import CookiePolicy
from auth.setup.oauth_system import OAuthSystem
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from kernel.clock import SystemClock
from kernel.ids import Uuid7Generator
from kernel.rate_limit import RateLimit
from servicekit.client_ip import IpNetwork, client_ip
from servicekit.route_limits import RouteLimits


def cookie_policy(request: HTTPConnection) -> CookiePolicy:
    """The token cookies' attributes, built once in `create_app`."""
    policy: CookiePolicy = request.app.state.cookie_policy
    return policy


async def get_cookie_policy(request: Request) -> CookiePolicy:
    return cookie_policy(request)


def count_revocation(kind: str) -> None:
    """Count one revocation the HTTP edge made (logout, session, all, refresh_reuse).

    The counter is shared with the blacklist relay (user_deleted), so it is defined
    once, with the relay's metrics, and routers reach it here.
    """
    REVOCATIONS.labels(kind).inc()


async def get_db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; rolled back unless the use case committed.

    A session that never began a transaction holds no connection, so closing it is
    skipped.
    """
    session: AsyncSession = request.app.state.resources.session_factory()
    try:
        yield session
    finally:
        if session.in_transaction():
            await session.close()


def _token_system(request: HTTPConnection) -> TokenSystem:
    tokens: TokenSystem = request.app.state.tokens
    return tokens


async def get_token_system(request: Request) -> TokenSystem:
    """The process's token composition, for the use-case providers below."""
    return _token_system(request)


async def get_jwks(request: Request) -> dict[str, Any]:
    """The public keys of every key in use (JWKS document)."""
    return _token_system(request).keys.jwks()


async def get_jwks_max_age(request: Request) -> int:
    """How long a verifier may keep its copy of the JWKS, in seconds
    (`AUTH_TOKEN__JWKS_MAX_AGE_SECONDS`; key rotation waits that long)."""
    settings: AuthSettings = request.app.state.settings
    return settings.token.jwks_max_age_seconds


async def get_token_service(request: Request) -> TokenService:
    """The process's TokenService (issuer + sessions + denylist + revocation events)."""
    return _token_system(request).service


def rate_limit(request: HTTPConnection, route: str, scope: str) -> RateLimit:
    """The limit of ``route`` per ``scope`` (`ip`, `session`), built once in the lifespan.

    :raises LookupError: no such setting (a bug).
    """
    limits: RouteLimits = request.app.state.rate_limits
    return limits.get(route, scope)


def ip_limited(route: str) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency counting each request against ``route``'s limit per client
    address (`client_address`).

    :raises RateLimitedError: over the limit (429).
    """

    async def limit_per_ip(request: Request) -> None:
        await rate_limit(request, route, "ip").acquire(client_address(request))

    return limit_per_ip


@asynccontextmanager
async def refresh_interactor(request: HTTPConnection) -> AsyncIterator[RefreshTokensInteractor]:
    """The refresh use case, for `/refresh`'s hot path (no FastAPI dependency resolution).

    Its database session only writes the audit of a reuse: a rotation never begins a
    transaction, so the session holds no connection and closing it is skipped.
    """
    tokens = _token_system(request)
    session: AsyncSession = request.app.state.resources.session_factory()
    try:
        yield RefreshTokensInteractor(
            tokens.issuer,
            tokens.service,
            LoginAuditService(),
            SqlaLoginAuditGateway(session),
            SqlaTransactionManager(session),
            rate_limit(request, "refresh", "session"),
        )
    finally:
        if session.in_transaction():
            await session.close()


async def get_logout_interactor(
    request: Request, tokens: TokenSystem = Depends(get_token_system)
) -> LogoutInteractor:
    return LogoutInteractor(tokens.issuer, tokens.service, rate_limit(request, "logout", "session"))


async def get_revoke_all_interactor(
    tokens: TokenService = Depends(get_token_service),
) -> RevokeAllSessionsInteractor:
    return RevokeAllSessionsInteractor(tokens)


async def get_revoke_session_interactor(
    tokens: TokenSystem = Depends(get_token_system),
) -> RevokeSessionInteractor:
    return RevokeSessionInteractor(tokens.sessions, tokens.service)


async def get_list_sessions_query(
    tokens: TokenSystem = Depends(get_token_system),
) -> ListSessionsQueryService:
    return ListSessionsQueryService(tokens.sessions)


def validate_query(scope: Scope) -> ValidateTokenQueryService:
    """The process's validation query, from a raw ASGI scope (`/validate`'s hot path)."""
    tokens: TokenSystem = scope["app"].state.tokens
    return tokens.validate


async def get_validate_query(request: Request) -> ValidateTokenQueryService:
    return validate_query(request.scope)


async def get_oauth_system(request: Request) -> OAuthSystem:
    """The process's OAuth composition (providers, state store, users client)."""
    oauth: OAuthSystem = request.app.state.oauth
    return oauth


def trusted_proxies(request: HTTPConnection) -> tuple[IpNetwork, ...]:
    """`AUTH_OAUTH__TRUSTED_PROXIES`: the networks whose `X-Forwarded-For` is believed."""
    oauth: OAuthSystem = request.app.state.oauth
    return oauth.trusted_proxies


def client_address(request: HTTPConnection) -> str | None:
    """The client's address, for every audit and limit (`servicekit.client_ip`):
    `X-Forwarded-For` is believed only through `AUTH_OAUTH__TRUSTED_PROXIES`, else the
    TCP peer."""
    return client_ip(request, trusted_proxies(request))


async def get_client_ip(request: Request) -> str | None:
    return client_address(request)


async def get_known_providers(
    oauth: OAuthSystem = Depends(get_oauth_system),
) -> frozenset[str]:
    """Every provider name that exists (configured or not)."""
    return oauth.known_providers


async def get_list_providers_query(
    oauth: OAuthSystem = Depends(get_oauth_system),
) -> ListProvidersQuery:
    return ListProvidersQuery(oauth.providers)


async def get_oauth_authorize_interactor(
    oauth: OAuthSystem = Depends(get_oauth_system),
) -> OAuthAuthorizeInteractor:
    return OAuthAuthorizeInteractor(oauth.flow, oauth.policy)


async def get_oauth_callback_interactor(
    request: Request,
    oauth: OAuthSystem = Depends(get_oauth_system),
    tokens: TokenService = Depends(get_token_service),
    db: AsyncSession = Depends(get_db_session),
) -> OAuthCallbackInteractor:
    return OAuthCallbackInteractor(
        flow=oauth.flow,
        policy=oauth.policy,
        users=oauth.user_commands,
        tokens=tokens,
        audit_service=LoginAuditService(),
        audit_gateway=SqlaLoginAuditGateway(db),
        transaction=SqlaTransactionManager(db),
        rate_limit=rate_limit(request, "callback", "ip"),
        user_agents=oauth.user_agents,
        provider_tokens=SqlaProviderTokenStore(db, oauth.provider_token_ring, oauth.clock),
    )


async def get_oauth_link_authorize_interactor(
    oauth: OAuthSystem = Depends(get_oauth_system),
    tokens: TokenService = Depends(get_token_service),
) -> OAuthLinkAuthorizeInteractor:
    return OAuthLinkAuthorizeInteractor(
        flow=oauth.flow,
        policy=oauth.policy,
        tokens=tokens,
        clock=oauth.clock,
        recent_sign_in=oauth.link_recent_sign_in,
    )


async def get_unlink_notice_interactor(
    oauth: OAuthSystem = Depends(get_oauth_system),
    tokens: TokenService = Depends(get_token_service),
    db: AsyncSession = Depends(get_db_session),
) -> HandleUnlinkNoticeInteractor:
    return HandleUnlinkNoticeInteractor(
        verifiers=oauth.unlink_verifiers,
        replay_guard=oauth.notice_replays,
        user_queries=oauth.user_queries,
        user_commands=oauth.user_commands,
        tokens=tokens,
        audit_service=LoginAuditService(),
        audit_gateway=SqlaLoginAuditGateway(db),
        transaction=SqlaTransactionManager(db),
        clock=oauth.clock,
        max_age=oauth.notice_max_age,
        deadline_seconds=oauth.notice_deadline_seconds,
    )


async def get_admin_credentials(request: Request) -> Mapping[str, SecretStr]:
    """`AUTH_ADMIN_CREDENTIALS`: administrator name -> secret (empty: refuse all)."""
    settings: AuthSettings = request.app.state.settings
    return settings.admin_credentials


def _admin_action_recorder(db: AsyncSession) -> AdminActionRecorder:
    return AdminActionRecorder(
        SqlaAdminActionLog(db), SqlaTransactionManager(db), SystemClock(), Uuid7Generator()
    )


async def get_force_logout_user_interactor(
    tokens: TokenService = Depends(get_token_service),
    db: AsyncSession = Depends(get_db_session),
) -> ForceLogoutUserInteractor:
    return ForceLogoutUserInteractor(tokens, _admin_action_recorder(db))


async def get_force_logout_session_interactor(
    tokens: TokenService = Depends(get_token_service),
    db: AsyncSession = Depends(get_db_session),
) -> ForceLogoutSessionInteractor:
    return ForceLogoutSessionInteractor(tokens, _admin_action_recorder(db))


async def get_login_audit_page_query(
    db: AsyncSession = Depends(get_db_session),
) -> LoginAuditPageQuery:
    return LoginAuditPageQuery(
        SqlaLoginAuditQueryGateway(db),
        SqlaAdminActionLog(db),
        SqlaTransactionManager(db),
        SystemClock(),
        Uuid7Generator(),
    )
