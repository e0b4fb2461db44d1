"""Accounts read with SQLAlchemy Core on a read connection (no ORM session, no
transaction): the statements are built once, so a call is one compiled-cache hit
and one round trip."""

from __future__ import annotations

from sqlalchemy import bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncConnection

from users.application.common.ports.user_query_gateway import UserQueryGateway
from users.domain.entities.user import User
from users.domain.value_objects.ids import UserId
from users.infrastructure.persistence_postgres.mappings.accounts import accounts_table as table

_BY_ID = select(
    table.c.id,
    table.c.nickname,
    table.c.name,
    table.c.email,
    table.c.phone_number,
    table.c.profile_image_url,
    table.c.created_at,
    table.c.updated_at,
    table.c.last_login_at,
).where(table.c.id == bindparam("user_id"))
_EXISTS = select(exists().where(table.c.id == bindparam("user_id")))


class SqlaCoreUserQueryGateway(UserQueryGateway):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get_by_id(self, user_id: UserId) -> User | None:
        row = (await self._connection.execute(_BY_ID, {"user_id": user_id})).first()
        if row is None:
            return None
        return User(
            row.id,
            nickname=row.nickname,
            name=row.name,
            email=row.email,
            phone_number=row.phone_number,
            profile_image_url=row.profile_image_url,
            created_at=row.created_at,
            updated_at=row.updated_at,
            last_login_at=row.last_login_at,
        )

    async def exists(self, user_id: UserId) -> bool:
        return bool((await self._connection.execute(_EXISTS, {"user_id": user_id})).scalar())
