"""The users app factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from kernel.clock import Clock, SystemClock
from kernel.ids import IdGenerator, Uuid7Generator
from servicekit.app import build_app
from servicekit.client_ip import trusted_networks
from servicekit.gc_tuning import settle_after_startup
from servicekit.logging import configure_logging
from servicekit.resources import Resources
from servicekit.route_limits import RouteLimits
from users.domain.exceptions.account_status import AccountStatusError
from users.infrastructure.persistence_postgres.mappings import map_tables
from users.infrastructure.persistence_postgres.read_pool import create_read_pool
from users.presentation.http.routers import (
    account_lifecycle,
    characters,
    internal_admin,
    internal_identity,
    profile,
    social_accounts,
)
from users.setup.settings import UsersSettings
from users.setup.token_verifier import (
    build_key_source,
    build_restore_ticket_verifier,
    build_verifier,
)

logger = logging.getLogger("users")

OPENAPI_TAGS = [
    {
        "name": "profile",
        "description": "**Public API.** The caller's own account. Authenticated by auth's "
        "access token (`Authorization: Bearer` or cookie `s_access`).",
    },
    {
        "name": "account",
        "description": "**Public API.** Deleting the caller's account (with a grace period) "
        "and restoring it before its purge date (with the restore ticket of a sign-in).",
    },
    {
        "name": "characters",
        "description": "**Public API.** The caller's characters (read-only).",
    },
    {
        "name": "social accounts",
        "description": "**Public API.** The provider accounts linked to the caller's account: "
        "list and unlink (linking starts at auth, `authorize?intent=link`).",
    },
    {
        "name": "internal: identity",
        "description": "**Internal API for auth only** (never routed publicly). "
        "Authenticated by the service credential in `X-Service-Token`.",
    },
    {
        "name": "internal: admin",
        "description": "**Internal admin API** (never routed publicly). Authenticated by an "
        "administrator's credential in `X-Admin-Token`; every call is audited with its name.",
    },
    {"name": "ops", "description": "Liveness, readiness."},
]
TAG_GROUPS = [
    {
        "name": "Public API (/api/v1/users)",
        "tags": ["profile", "account", "characters", "social accounts"],
    },
    {"name": "Internal API (/internal/v1)", "tags": ["internal: identity", "internal: admin"]},
    {"name": "Operations", "tags": ["ops"]},
]


def create_app(
    settings: UsersSettings | None = None,
    *,
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
) -> FastAPI:
    """Build the users app; connections open in the lifespan, not at import.

    :raises ValueError: a secret the API needs is missing or weak (see settings).
    """
    settings = settings or UsersSettings()
    settings.require_serving_secrets()
    configure_logging("users", settings.log_level)
    map_tables()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resources = Resources.open(settings)
        http = httpx.AsyncClient(timeout=settings.access_token.jwks_timeout_seconds)
        app.state.resources = resources
        app.state.rate_limits = RouteLimits.build(
            resources.redis, settings.rate_limits, key_prefix=settings.redis_key_prefix
        )
        app.state.read_pool = await create_read_pool(
            settings.database_url.get_secret_value(), size=settings.database_read_pool_size
        )
        keys = build_key_source(settings.access_token, http)
        app.state.access_token_verifier = build_verifier(settings.access_token, keys)
        app.state.restore_ticket_verifier = build_restore_ticket_verifier(
            settings.access_token, keys
        )
        if settings.internal_api_token is None:
            logger.warning("USERS_INTERNAL_API_TOKEN is not set: /internal/v1 refuses every call")
        if not settings.admin_credentials:
            logger.info("USERS_ADMIN_CREDENTIALS is empty: /internal/v1/admin refuses every call")
        settle_after_startup()  # everything alive now lives as long as the process
        try:
            yield
        finally:
            await http.aclose()
            await app.state.read_pool.close()
            await resources.close()

    app = build_app(
        service="users",
        title="Eco² users",
        description="Accounts, linked social accounts and owned characters. The public API "
        "serves users (access token); the internal API serves auth (service credential).",
        version="1.0.0",
        lifespan=lifespan,
        # The API needs PostgreSQL only; Redis (the outbox relay's) is reported as degraded.
        readiness=lambda app: app.state.resources.readiness(required=frozenset({"postgres"})),
        openapi_tags=OPENAPI_TAGS,
        error_status={AccountStatusError: 403},
    )
    app.state.settings = settings
    app.state.trusted_proxies = trusted_networks(settings.trusted_proxies)
    app.state.clock = clock or SystemClock()
    app.state.ids = ids or Uuid7Generator()
    # The hot reads as plain routes, matched before FastAPI's routing; the routers document them.
    app.router.routes[0:0] = [*profile.routes, *characters.routes]
    app.include_router(profile.router)
    app.include_router(account_lifecycle.router)
    app.include_router(characters.router)
    app.include_router(social_accounts.router)
    app.include_router(internal_identity.router)
    app.include_router(internal_admin.router)
    _group_tags(app)
    return app


def _group_tags(app: FastAPI) -> None:
    """Add ``x-tagGroups`` so ReDoc shows the public and internal APIs as separate sections."""
    document = app.openapi

    def openapi() -> dict[str, Any]:
        schema = document()
        schema["x-tagGroups"] = TAG_GROUPS
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
