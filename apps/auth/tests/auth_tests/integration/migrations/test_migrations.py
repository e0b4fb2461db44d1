"""auth's revisions upgrade, downgrade and upgrade again on a fresh database; 0003 lets the
login audit take the account events' results."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from auth.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from auth.infrastructure.persistence_postgres.registry import SCHEMA
from servicekit.migrations import downgrade, upgrade
from testkit.databases import temporary_database
from testkit.servers import postgres_server


async def _insert_result(url: str, result: str) -> None:
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(libpq)
    try:
        await connection.execute(
            "INSERT INTO auth.login_audit (id, result, reason, occurred_at)"
            " VALUES ($1, $2, 'why', now())",
            uuid.uuid4(),
            result,
        )
    finally:
        await connection.close()


async def _state(url: str) -> tuple[set[str], list[str]]:
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(libpq)
    try:
        constraints = {
            row["conname"]
            for row in await connection.fetch(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'auth.login_audit'::regclass"
            )
        }
        versions = [
            row["version_num"]
            for row in await connection.fetch("SELECT version_num FROM auth.alembic_version")
        ]
    finally:
        await connection.close()
    return constraints, versions


def test_upgrade_downgrade_upgrade_and_the_account_event_results() -> None:
    with postgres_server() as admin_url, temporary_database(admin_url, "auth_migrations") as url:
        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        assert asyncio.run(_state(url)) == ({"pk_login_audit", "ck_login_audit_result"}, ["0004"])
        for result in ("failure", "link_failure", "unlink_notice"):
            asyncio.run(_insert_result(url, result))
        with pytest.raises(asyncpg.CheckViolationError):
            asyncio.run(_insert_result(url, "anything"))

        downgrade(SCRIPT_LOCATION, url, SCHEMA, "0002")  # drops the rows 0002 cannot hold
        with pytest.raises(asyncpg.CheckViolationError):
            asyncio.run(_insert_result(url, "unlink_notice"))

        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        assert asyncio.run(_state(url))[1] == ["0004"]
        asyncio.run(_insert_result(url, "link_failure"))
