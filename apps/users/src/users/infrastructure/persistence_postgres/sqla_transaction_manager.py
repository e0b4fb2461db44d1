"""TransactionManager over one SQLAlchemy AsyncSession."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from users.application.common.ports.transaction_manager import TransactionManager
from users.infrastructure.persistence_postgres.integrity_errors import domain_error_for


class SqlaTransactionManager(TransactionManager):
    """Commits the request's session; a violated named constraint
    becomes its domain error (the session is rolled back first)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def commit(self) -> None:
        try:
            await self._session.commit()
        except IntegrityError as error:
            await self._session.rollback()
            raise domain_error_for(error) or error from error
