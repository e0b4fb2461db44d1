"""LoginAuditQueryGateway over a SQLAlchemy AsyncSession."""

from __future__ import annotations

from sqlalchemy import literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from auth.application.audit.dto.login_audit_filter import LoginAuditFilter
from auth.application.audit.ports.login_audit_query_gateway import LoginAuditQueryGateway
from auth.domain.audit.login_audit import LoginAudit
from auth.infrastructure.persistence_postgres.mappings.login_audit import login_audit_table


class SqlaLoginAuditQueryGateway(LoginAuditQueryGateway):
    """Keyset pagination on ``(occurred_at, id)`` descending, over the
    ``(user_id, occurred_at)`` index: a page costs the same however deep it is."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(self, audit_filter: LoginAuditFilter, limit: int) -> list[LoginAudit]:
        table = login_audit_table
        statement = select(LoginAudit).where(table.c.user_id == audit_filter.user_id)
        if audit_filter.result is not None:
            statement = statement.where(table.c.result == audit_filter.result)
        if audit_filter.since is not None:
            statement = statement.where(table.c.occurred_at >= audit_filter.since)
        if audit_filter.until is not None:
            statement = statement.where(table.c.occurred_at < audit_filter.until)
        if audit_filter.after is not None:
            cursor = audit_filter.after
            statement = statement.where(
                tuple_(table.c.occurred_at, table.c.id)
                < tuple_(
                    literal(cursor.occurred_at, table.c.occurred_at.type),
                    literal(cursor.id, table.c.id.type),
                )
            )
        statement = statement.order_by(table.c.occurred_at.desc(), table.c.id.desc()).limit(limit)
        return list((await self._session.scalars(statement)).all())
