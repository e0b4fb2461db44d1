"""The revisions upgrade, downgrade and upgrade again on a fresh database."""

from __future__ import annotations

import asyncio
import json
import uuid

import asyncpg

from servicekit.migrations import downgrade, upgrade
from testkit.databases import libpq_url, temporary_database
from testkit.servers import postgres_server
from users.infrastructure.persistence_postgres.migrations import SCRIPT_LOCATION
from users.infrastructure.persistence_postgres.registry import SCHEMA

EXPECTED_TABLES = {
    "accounts",
    "social_accounts",
    "user_characters",
    "outbox",
    "admin_actions",
    "alembic_version",
}


async def _state(url: str) -> tuple[set[str], set[str], list[str]]:
    connection = await asyncpg.connect(libpq_url(url))
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


async def _outbox_payload_nullable(url: str) -> bool:
    connection = await asyncpg.connect(libpq_url(url))
    try:
        nullable = await connection.fetchval(
            "SELECT is_nullable FROM information_schema.columns"
            " WHERE table_schema = $1 AND table_name = 'outbox' AND column_name = 'payload'",
            SCHEMA,
        )
    finally:
        await connection.close()
    return bool(nullable == "YES")


def test_upgrade_downgrade_upgrade() -> None:
    with postgres_server() as admin_url, temporary_database(admin_url, "users_migrations") as url:
        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        tables, constraints, versions = asyncio.run(_state(url))
        assert tables == EXPECTED_TABLES
        assert versions == ["0005"]
        assert {
            "uq_social_accounts_provider_provider_user_id",
            "uq_user_characters_user_id_character_code",
            "fk_social_accounts_user_id_accounts",
            "ck_user_characters_status",
            "ck_accounts_status",
        } <= constraints
        assert asyncio.run(_outbox_payload_nullable(url))  # 0003: no longer written

        downgrade(SCRIPT_LOCATION, url, SCHEMA, "base")
        tables, _, versions = asyncio.run(_state(url))
        assert tables == {"alembic_version"}
        assert versions == []

        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        tables, _, versions = asyncio.run(_state(url))
        assert tables == EXPECTED_TABLES
        assert versions == ["0005"]


async def _outbox_payloads(url: str, insert: bool) -> list[str]:
    """Optionally add a row without payload; return every row's payload (JSON text)."""
    connection = await asyncpg.connect(libpq_url(url))
    try:
        if insert:
            await connection.execute(
                "INSERT INTO users.outbox (id, event_type, aggregate_id, occurred_at)"
                " VALUES ($1, 'user.deleted', $2, '2026-11-29T12:00:00+00:00')",
                uuid.UUID("0192f0c8-0000-7000-8000-0000000000e1"),
                uuid.UUID("0192f0c8-0000-7000-8000-0000000000a1"),
            )
        rows = await connection.fetch("SELECT payload FROM users.outbox")
    finally:
        await connection.close()
    return [row["payload"] for row in rows]


def test_downgrading_0003_rebuilds_the_payload_from_the_columns() -> None:
    with postgres_server() as admin_url, temporary_database(admin_url, "users_migrations") as url:
        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        assert asyncio.run(_outbox_payloads(url, insert=True)) == [None]

        downgrade(SCRIPT_LOCATION, url, SCHEMA, "0002")

        [payload] = asyncio.run(_outbox_payloads(url, insert=False))
        assert json.loads(payload) == {
            "user_id": "0192f0c8-0000-7000-8000-0000000000a1",
            "occurred_at": "2026-11-29T12:00:00+00:00",
        }


async def _accounts_after_0004(url: str) -> list[tuple[str, object, object]]:
    """Insert an account as the previous release does (no status), then read it back."""
    connection = await asyncpg.connect(libpq_url(url))
    try:
        await connection.execute(
            "INSERT INTO users.accounts (id, created_at, updated_at)" " VALUES ($1, now(), now())",
            uuid.UUID("0192f0c8-0000-7000-8000-0000000000a2"),
        )
        rows = await connection.fetch(
            "SELECT status, deletion_requested_at, purge_after FROM users.accounts"
        )
        refused = None
        try:
            await connection.execute("UPDATE users.accounts SET status = 'gone'")
        except asyncpg.CheckViolationError as error:
            refused = error.constraint_name
    finally:
        await connection.close()
    return [(row["status"], row["deletion_requested_at"], row["purge_after"]) for row in rows] + [
        ("refused", refused, None)
    ]


def test_0004_is_expand_safe_for_the_previous_release() -> None:
    """The previous release writes no status: its accounts are active; a bad status is
    refused by the (NOT VALID) check all the same."""
    with postgres_server() as admin_url, temporary_database(admin_url, "users_migrations") as url:
        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        assert asyncio.run(_accounts_after_0004(url)) == [
            ("active", None, None),
            ("refused", "ck_accounts_status", None),
        ]


async def _outbox_row_of_the_previous_release(url: str) -> tuple[object, ...]:
    """Insert an outbox row as the release before 0005 does (no trace context)."""
    connection = await asyncpg.connect(libpq_url(url))
    try:
        await connection.execute(
            "INSERT INTO users.outbox (id, event_type, aggregate_id, occurred_at)"
            " VALUES ($1, 'user.disabled', $2, now())",
            uuid.UUID("0192f0c8-0000-7000-8000-0000000000e5"),
            uuid.UUID("0192f0c8-0000-7000-8000-0000000000a5"),
        )
        row = await connection.fetchrow("SELECT event_type, traceparent FROM users.outbox")
    finally:
        await connection.close()
    return tuple(row)


def test_0005_keeps_the_rows_of_the_previous_release_without_a_trace_context() -> None:
    with postgres_server() as admin_url, temporary_database(admin_url, "users_migrations") as url:
        upgrade(SCRIPT_LOCATION, url, SCHEMA)
        assert asyncio.run(_outbox_row_of_the_previous_release(url)) == ("user.disabled", None)
        downgrade(SCRIPT_LOCATION, url, SCHEMA, "0004")
        assert asyncio.run(_state(url))[2] == ["0004"]
