"""The auth app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from auth.application.oauth.exceptions.oauth import OAuthProviderError, RedirectNotAllowedError
from auth.infrastructure.persistence_postgres.mappings import map_tables
from auth.presentation.http.cookies import CookiePolicy
from auth.presentation.http.routers import admin as admin_routes
from auth.presentation.http.routers import oauth as oauth_routes
from auth.presentation.http.routers import providers as provider_routes
from auth.presentation.http.routers import token as token_routes
from auth.presentation.http.routers import unlink_notices as unlink_notice_routes
from auth.presentation.http.routers import validate as validate_route
from auth.setup.oauth_system import OAuthSystem
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem, load_keys
from servicekit.app import build_app
from servicekit.fast_path import FastPath
from servicekit.gc_tuning import settle_after_startup
from servicekit.logging import configure_logging
from servicekit.resources import Resources
from servicekit.route_limits import RouteLimits


def build_cookie_policy(settings: AuthSettings) -> CookiePolicy:
    """Secure except in the local/test profiles; domain `AUTH_TOKEN__COOKIE_DOMAIN`."""
    return CookiePolicy(secure=not settings.is_local, domain=settings.token.cookie_domain)


def create_app(settings: AuthSettings | None = None) -> FastAPI:
    """Build the auth app; connections open in the lifespan, not at import."""
    settings = settings or AuthSettings()
    configure_logging("auth", settings.log_level)
    map_tables()
    keys = load_keys(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resources = Resources.open(settings)
        app.state.resources = resources
        app.state.rate_limits = RouteLimits.build(
            resources.redis, settings.rate_limits, key_prefix=settings.redis_key_prefix
        )
        tokens = TokenSystem.build(settings, resources.redis, keys)
        await tokens.start()
        app.state.tokens = tokens
        oauth = OAuthSystem.build(settings, resources.redis)
        await oauth.start()
        app.state.oauth = oauth
        settle_after_startup()  # everything alive now lives as long as the process
        try:
            yield
        finally:
            await oauth.close()
            await tokens.stop()
            await resources.close()

    app = build_app(
        service="auth",
        title="Eco² auth",
        description=(
            "Login, sessions and tokens: OAuth flows, refresh rotation, revocation, validation."
        ),
        version="1.0.0",
        lifespan=lifespan,
        # /validate and /refresh need Redis (sessions, revocations); PostgreSQL only
        # holds the login audit, so it is reported as degraded, never as not ready.
        readiness=lambda app: app.state.resources.readiness(required=frozenset({"redis"})),
        error_status={RedirectNotAllowedError: 400, OAuthProviderError: 503},
        openapi_paths={validate_route.PATH: validate_route.OPENAPI_PATH_ITEM},
        # On the path of every API request: answered ahead of FastAPI and its middleware.
        fast_path=FastPath(
            validate_route.PATH,
            validate_route.validate,
            span_attributes=validate_route.span_attributes,
        ),
    )
    app.router.routes[0:0] = token_routes.routes  # /refresh matched before FastAPI's routing
    app.include_router(token_routes.router)
    app.include_router(oauth_routes.router)
    app.include_router(admin_routes.router)
    app.include_router(provider_routes.router)
    app.include_router(unlink_notice_routes.router)
    app.state.settings = settings
    app.state.cookie_policy = build_cookie_policy(settings)
    return app
