"""SqlaLoginAuditGateway and the 0001 migration against real PostgreSQL."""

from __future__ import annotations

from uuid import uuid4

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.domain.audit.login_audit import LoginAudit
from auth.infrastructure.persistence_postgres.mappings import map_tables
from auth.infrastructure.persistence_postgres.mappings.login_audit import login_audit_table
from auth.infrastructure.persistence_postgres.registry import metadata
from auth.infrastructure.persistence_postgres.sqla_login_audit_gateway import (
    SqlaLoginAuditGateway,
)
from auth.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from servicekit.database import create_session_factory


async def test_added_audit_is_stored_on_commit_and_only_then(database_url: str) -> None:
    map_tables()
    engine = create_async_engine(database_url)
    sessions = create_session_factory(engine)
    user_id = uuid4()
    audit = LoginAuditService().create_login_audit(
        result="success",
        user_id=user_id,
        provider="google",
        session_id="sid-42",
        access_jti="jti-42",
        client_ip="2001:db8::1",
        user_agent="pytest",
    )
    discarded = LoginAuditService().create_login_audit(result="failure", reason="invalid_state")
    try:
        async with sessions() as session:
            await SqlaLoginAuditGateway(session).add(audit)
            await SqlaTransactionManager(session).commit()
        async with sessions() as session:
            await SqlaLoginAuditGateway(session).add(discarded)  # never committed
        async with sessions() as session:
            rows = (
                (
                    await session.execute(
                        select(LoginAudit).where(
                            login_audit_table.c.id.in_([audit.id, discarded.id])
                        )
                    )
                )
                .scalars()
                .all()
            )
            assert len(rows) == 1
            stored = rows[0]
            assert (stored.user_id, stored.provider, stored.session_id, stored.access_jti) == (
                user_id,
                "google",
                "sid-42",
                "jti-42",
            )
            assert (stored.result, stored.reason, stored.client_ip) == (
                "success",
                None,
                "2001:db8::1",
            )
            assert stored.occurred_at == audit.occurred_at
    finally:
        await engine.dispose()


async def test_the_result_column_refuses_unknown_values(database_url: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            with pytest.raises(IntegrityError, match="ck_login_audit_result"):
                await connection.execute(
                    text(
                        "INSERT INTO auth.login_audit (id, result, occurred_at) "
                        "VALUES (:id, 'timeout', now())"
                    ),
                    {"id": uuid4()},
                )
    finally:
        await engine.dispose()


async def test_migrations_match_the_mapped_tables(database_url: str) -> None:
    map_tables()
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(
                        sync,
                        opts={
                            "include_schemas": True,
                            "include_name": lambda name, type_, _: type_ != "schema"
                            or name == "auth",
                            "version_table_schema": "auth",
                        },
                    ),
                    metadata,
                )
            )
        assert diff == []
    finally:
        await engine.dispose()
