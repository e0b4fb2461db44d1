"""The login audit's adapters (writing, erasing, reading pages) and the migrations
against real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from auth.application.audit.dto.login_audit_filter import LoginAuditCursor, LoginAuditFilter
from auth.application.audit.services.login_audit_service import LoginAuditService
from auth.domain.audit.login_audit import LoginAudit
from auth.infrastructure.persistence_postgres.mappings import map_tables
from auth.infrastructure.persistence_postgres.mappings.login_audit import login_audit_table
from auth.infrastructure.persistence_postgres.registry import metadata
from auth.infrastructure.persistence_postgres.sqla_login_audit_eraser import SqlaLoginAuditEraser
from auth.infrastructure.persistence_postgres.sqla_login_audit_gateway import (
    SqlaLoginAuditGateway,
)
from auth.infrastructure.persistence_postgres.sqla_login_audit_query_gateway import (
    SqlaLoginAuditQueryGateway,
)
from auth.infrastructure.persistence_postgres.sqla_transaction_manager import (
    SqlaTransactionManager,
)
from servicekit.database import create_session_factory
from testkit.clock import ManualClock


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


async def test_the_erasure_clears_one_users_client_details_once(database_url: str) -> None:
    map_tables()
    engine = create_async_engine(database_url)
    sessions = create_session_factory(engine)
    purged, other = uuid4(), uuid4()
    audits = LoginAuditService()
    rows = [
        audits.create_login_audit(
            result="success",
            user_id=user,
            provider="kakao",
            client_ip="203.0.113.7",
            user_agent="Mozilla/5.0",
            session_id="sid",
            access_jti="jti",
        )
        for user in (purged, purged, other)
    ]
    try:
        async with sessions() as session:
            for row in rows:
                await SqlaLoginAuditGateway(session).add(row)
            await SqlaTransactionManager(session).commit()
        for expected in (2, 0):  # idempotent
            async with sessions() as session:
                assert await SqlaLoginAuditEraser(session).erase_client_details(purged) == expected
                await SqlaTransactionManager(session).commit()
        async with sessions() as session:
            stored = {
                row.id: row
                for row in (
                    await session.execute(
                        select(LoginAudit).where(login_audit_table.c.id.in_([r.id for r in rows]))
                    )
                ).scalars()
            }
        for row in rows[:2]:
            kept = stored[row.id]
            assert (kept.client_ip, kept.user_agent) == (None, None)
            assert (kept.user_id, kept.result, kept.provider, kept.session_id, kept.access_jti) == (
                purged, "success", "kakao", "sid", "jti",
            )  # fmt: skip
        assert stored[rows[2].id].client_ip == "203.0.113.7"
    finally:
        await engine.dispose()


async def test_pages_come_newest_first_by_keyset_with_filters(database_url: str) -> None:
    map_tables()
    engine = create_async_engine(database_url)
    sessions = create_session_factory(engine)
    user = uuid4()
    clock = ManualClock(datetime(2026, 5, 1, 9, 0, tzinfo=UTC))
    audits = LoginAuditService(clock=clock)
    rows = []
    for minute in range(5):
        failed = minute % 2 == 1
        rows.append(
            audits.create_login_audit(
                result="failure" if failed else "success",
                user_id=user,
                provider="kakao",
                reason="access_denied" if failed else None,
            )
        )
        if minute != 1:  # rows 1 and 2 share a time: the id breaks the tie
            clock.advance(timedelta(minutes=1))
    try:
        async with sessions() as session:
            for row in rows:
                await SqlaLoginAuditGateway(session).add(row)
            await SqlaTransactionManager(session).commit()
        async with sessions() as session:
            gateway = SqlaLoginAuditQueryGateway(session)
            newest_first = sorted(rows, key=lambda r: (r.occurred_at, r.id), reverse=True)
            seen, after = [], None
            while True:
                page = await gateway.page(LoginAuditFilter(user_id=user, after=after), 2)
                seen += page
                if len(page) < 2:
                    break
                after = LoginAuditCursor(page[-1].occurred_at, page[-1].id)
            assert [r.id for r in seen] == [r.id for r in newest_first]
            failures = await gateway.page(LoginAuditFilter(user_id=user, result="failure"), 10)
            assert {r.id for r in failures} == {rows[1].id, rows[3].id}
            window = await gateway.page(
                LoginAuditFilter(
                    user_id=user, since=rows[2].occurred_at, until=rows[4].occurred_at
                ),
                10,
            )
            assert {r.id for r in window} == {rows[1].id, rows[2].id, rows[3].id}
    finally:
        await engine.dispose()
