"""LoginAuditEraser over a SQLAlchemy AsyncSession."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth.application.audit.ports.login_audit_eraser import LoginAuditEraser
from auth.infrastructure.persistence_postgres.mappings.login_audit import login_audit_table


class SqlaLoginAuditEraser(LoginAuditEraser):
    """One UPDATE on the ``(user_id, occurred_at)`` index; rows already cleared are not
    touched again."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def erase_client_details(self, user_id: UUID) -> int:
        table = login_audit_table
        result = await self._session.execute(
            update(table)
            .where(
                table.c.user_id == user_id,
                or_(table.c.client_ip.is_not(None), table.c.user_agent.is_not(None)),
            )
            .values(client_ip=None, user_agent=None)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
