"""FastAPI dependency providers: use cases built from what the lifespan opened.

Providers are `async def` so FastAPI calls them on the event loop, not in a thread.

Process-wide objects live on `app.state` (`resources`, `tokens`); per-request ones
(the database session and what writes through it) are built here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.application.oauth.commands.authorize import OAuthAuthorizeInteractor
from auth.application.oauth.commands.callback import OAuthCallbackInteractor
from auth.application.token.commands.logout import LogoutInteractor
from auth.application.token.commands.refresh import RefreshTokensInteractor
from auth.application.token.commands.revoke_all import RevokeAllSessionsInteractor
from auth.application.token.commands.revoke_session import RevokeSessionInteractor
from auth.application.token.queries.list_sessions import ListSessionsQueryService
from auth.application.token.queries.validate import ValidateTokenQueryService
from auth.application.token.services.token_service import TokenService
from auth.infrastructure.persistence_postgres.sqla_login_audit_gateway import (
    SqlaLoginAuditGateway,
)
from auth.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from auth.presentation.http.client_ip import client_ip
from auth.setup.oauth_system import OAuthSystem
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem


async def get_settings(request: Request) -> AuthSettings:
    settings: AuthSettings = request.app.state.settings
    return settings


async def get_db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; rolled back unless the use case committed.

    A session that never began a transaction holds no connection, so closing it is
    skipped (most refreshes never touch the database).
    """
    session: AsyncSession = request.app.state.resources.session_factory()
    try:
        yield session
    finally:
        if session.in_transaction():
            await session.close()


def _token_system(request: Request) -> TokenSystem:
    tokens: TokenSystem = request.app.state.tokens
    return tokens


async def get_token_system(request: Request) -> TokenSystem:
    return _token_system(request)


async def get_token_service(request: Request) -> TokenService:
    """The process's TokenService (issuer + sessions + denylist + revocation events)."""
    return _token_system(request).service


async def get_refresh_interactor(
    tokens: TokenSystem = Depends(get_token_system),
    db: AsyncSession = Depends(get_db_session),
) -> RefreshTokensInteractor:
    return RefreshTokensInteractor(
        tokens.issuer,
        tokens.service,
        LoginAuditService(),
        SqlaLoginAuditGateway(db),
        SqlaTransactionManager(db),
    )


async def get_logout_interactor(
    tokens: TokenSystem = Depends(get_token_system),
) -> LogoutInteractor:
    return LogoutInteractor(tokens.issuer, tokens.service)


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


async def get_validate_query(request: Request) -> ValidateTokenQueryService:
    return _token_system(request).validate


async def get_oauth_system(request: Request) -> OAuthSystem:
    """The process's OAuth composition (providers, state store, users client)."""
    oauth: OAuthSystem = request.app.state.oauth
    return oauth


async def get_client_ip(
    request: Request, oauth: OAuthSystem = Depends(get_oauth_system)
) -> str | None:
    """The client's address for every audit: `X-Forwarded-For` is believed only
    through `AUTH_OAUTH__TRUSTED_PROXIES`, else the TCP peer."""
    return client_ip(request, oauth.trusted_proxies)


async def get_oauth_authorize_interactor(
    oauth: OAuthSystem = Depends(get_oauth_system),
) -> OAuthAuthorizeInteractor:
    return OAuthAuthorizeInteractor(oauth.flow, oauth.policy)


async def get_oauth_callback_interactor(
    oauth: OAuthSystem = Depends(get_oauth_system),
    tokens: TokenService = Depends(get_token_service),
    db: AsyncSession = Depends(get_db_session),
) -> OAuthCallbackInteractor:
    return OAuthCallbackInteractor(
        flow=oauth.flow,
        users=oauth.user_commands,
        tokens=tokens,
        audit_service=LoginAuditService(),
        audit_gateway=SqlaLoginAuditGateway(db),
        transaction=SqlaTransactionManager(db),
    )
