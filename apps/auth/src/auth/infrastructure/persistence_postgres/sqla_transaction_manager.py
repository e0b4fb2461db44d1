"""TransactionManager over one SQLAlchemy AsyncSession."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from auth.application.common.ports.transaction_manager import TransactionManager


class SqlaTransactionManager(TransactionManager):
    """Commits the request's session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def commit(self) -> None:
        await self._session.commit()
