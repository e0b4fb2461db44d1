"""The users app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from servicekit.app import build_app
from servicekit.logging import configure_logging
from servicekit.resources import Resources

from users.infrastructure.persistence_postgres.mappings import map_tables
from users.setup.settings import UsersSettings


def create_app(settings: UsersSettings | None = None) -> FastAPI:
    """Build the users app; connections open in the lifespan, not at import."""
    settings = settings or UsersSettings()
    configure_logging("users", settings.log_level)
    map_tables()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resources = Resources.open(settings)
        app.state.resources = resources
        try:
            yield
        finally:
            await resources.close()

    app = build_app(
        title="Eco² users",
        description="Accounts, linked social accounts and owned characters.",
        version="1.0.0",
        lifespan=lifespan,
        readiness=lambda app: app.state.resources.readiness_checks(),
    )
    app.state.settings = settings
    return app
