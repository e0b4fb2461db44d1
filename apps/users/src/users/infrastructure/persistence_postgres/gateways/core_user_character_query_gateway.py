"""User characters read with SQLAlchemy Core on a read connection (no ORM session,
no transaction)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncConnection

from users.application.character.ports.user_character_query_gateway import (
    UserCharacterQueryGateway,
)
from users.domain.entities.user_character import UserCharacter
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.ids import UserId
from users.infrastructure.persistence_postgres.mappings.user_characters import (
    user_characters_table as table,
)

_OWNED = table.c.status == CharacterStatus.OWNED
_LIST_OWNED = (
    select(table)
    .where(table.c.user_id == bindparam("user_id"), _OWNED)
    .order_by(table.c.acquired_at.desc(), table.c.id.desc())
)
_IS_OWNED = select(
    exists().where(
        table.c.user_id == bindparam("user_id"),
        table.c.character_code == bindparam("code", type_=table.c.character_code.type),
        _OWNED,
    )
)


class SqlaCoreUserCharacterQueryGateway(UserCharacterQueryGateway):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def list_owned(self, user_id: UserId) -> Sequence[UserCharacter]:
        result = await self._connection.execute(_LIST_OWNED, {"user_id": user_id})
        return [
            UserCharacter(
                row.id,
                user_id=row.user_id,
                character_id=row.character_id,
                code=row.character_code,
                name=row.character_name,
                type_=row.character_type,
                dialog=row.character_dialog,
                source=row.source,
                status=row.status,
                acquired_at=row.acquired_at,
                updated_at=row.updated_at,
            )
            for row in result
        ]

    async def is_owned(self, user_id: UserId, code: CharacterCode) -> bool:
        result = await self._connection.execute(_IS_OWNED, {"user_id": user_id, "code": code})
        return bool(result.scalar())
