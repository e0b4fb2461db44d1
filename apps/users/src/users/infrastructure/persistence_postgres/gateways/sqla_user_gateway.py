"""Changing accounts in PostgreSQL, through the ORM; reads use the asyncpg query gateways."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.domain.entities.user import User
from users.domain.value_objects.ids import UserId
from users.infrastructure.persistence_postgres.mappings.accounts import accounts_table


class SqlaUserCommandGateway(UserCommandGateway):
    """Deleting an account deletes its social accounts and characters by the
    foreign keys' ON DELETE CASCADE, in the same statement."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, user: User) -> None:
        self._session.add(user)

    async def get_for_update(self, user_id: UserId) -> User | None:
        statement = (
            select(User)
            .where(accounts_table.c.id == user_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self._session.scalars(statement)).one_or_none()

    async def delete(self, user: User) -> None:
        await self._session.delete(user)
        await self._session.flush()
