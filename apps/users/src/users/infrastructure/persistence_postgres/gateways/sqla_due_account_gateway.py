"""The purge's claim of due accounts in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from users.application.lifecycle.ports.due_account_gateway import DueAccountGateway
from users.domain.entities.user import User
from users.infrastructure.persistence_postgres.mappings.accounts import accounts_table as table


class SqlaDueAccountGateway(DueAccountGateway):
    """``SELECT … WHERE purge_after <= now ORDER BY purge_after LIMIT n FOR UPDATE SKIP
    LOCKED`` on the partial index ``ix_accounts_purge_after``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim_due(self, now: datetime, limit: int) -> Sequence[User]:
        statement = (
            select(User)
            .where(table.c.purge_after.is_not(None), table.c.purge_after <= now)
            .order_by(table.c.purge_after, table.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        return (await self._session.scalars(statement)).all()
