"""The revisions upgrade, downgrade and upgrade again on a fresh database."""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy.engine import make_url

from servicekit.migrations import downgrade, upgrade
from testkit.databases import temporary_database
from testkit.servers import postgres_server
from users.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from users.infrastructure.persistence_postgres.registry import SCHEMA

EXPECTED_TABLES = {"accounts", "social_accounts", "user_characters", "outbox", "alembic_version"}


async def _state(url: str) -> tuple[set[str], set[str], list[str]]:
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(libpq)
    try:
        tables = {
            row["table_name"]
            for row in await connection.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", SCHEMA
            )
        }
        constraints = {
            row["conname"]
            for row in await connection.fetch(
                "SELECT conname FROM pg_constraint c JOIN pg_namespace n"
                " ON n.oid = c.connamespace WHERE n.nspname = $1",
                SCHEMA,
            )
        }
        versions = (
            [
                row["version_num"]
                for row in await connection.fetch("SELECT version_num FROM users.alembic_version")
            ]
            if "alembic_version" in tables
            else []
        )
    finally:
        await connection.close()
    return tables, constraints, versions


def test_upgrade_downgrade_upgrade() -> None:
    with postgres_server() as admin_url, temporary_database(admin_url, "users_migrations") as url:
        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        tables, constraints, versions = asyncio.run(_state(url))
        assert tables == EXPECTED_TABLES
        assert versions == ["0002"]
        assert {
            "uq_social_accounts_provider_provider_user_id",
            "uq_user_characters_user_id_character_code",
            "fk_social_accounts_user_id_accounts",
            "ck_user_characters_status",
        } <= constraints

        downgrade(SCRIPT_LOCATION, url, SCHEMA, "base")
        tables, _, versions = asyncio.run(_state(url))
        assert tables == {"alembic_version"}
        assert versions == []

        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        tables, _, versions = asyncio.run(_state(url))
        assert tables == EXPECTED_TABLES
        assert versions == ["0002"]
