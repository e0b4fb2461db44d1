"""TransactionManager and Flusher over one SQLAlchemy AsyncSession."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from users.application.common.ports.flusher import Flusher
from users.application.common.ports.transaction_manager import TransactionManager


class SqlaTransactionManager(TransactionManager, Flusher):
    """Commits or flushes the request's session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def commit(self) -> None:
        await self._session.commit()

    async def flush(self) -> None:
        await self._session.flush()
