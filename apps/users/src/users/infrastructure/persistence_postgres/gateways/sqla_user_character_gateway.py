"""User characters in PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from users.application.character.ports.user_character_query_gateway import (
    UserCharacterQueryGateway,
)
from users.application.identity.ports.user_character_command_gateway import (
    UserCharacterCommandGateway,
)
from users.domain.entities.user_character import UserCharacter
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.ids import UserId
from users.infrastructure.persistence_postgres.mappings.user_characters import (
    user_characters_table as table,
)


class SqlaUserCharacterQueryGateway(UserCharacterQueryGateway):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_owned(self, user_id: UserId) -> Sequence[UserCharacter]:
        statement = (
            select(UserCharacter)
            .where(table.c.user_id == user_id, table.c.status == CharacterStatus.OWNED)
            .order_by(table.c.acquired_at.desc(), table.c.id.desc())
        )
        return (await self._session.scalars(statement)).all()

    async def is_owned(self, user_id: UserId, code: CharacterCode) -> bool:
        statement = select(
            exists().where(
                table.c.user_id == user_id,
                table.c.character_code == code,
                table.c.status == CharacterStatus.OWNED,
            )
        )
        return bool(await self._session.scalar(statement))


class SqlaUserCharacterCommandGateway(UserCharacterCommandGateway):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, character: UserCharacter) -> None:
        self._session.add(character)
