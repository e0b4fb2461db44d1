"""An account's characters read with SQLAlchemy Core, one statement per question,
on a read connection, without the ORM: the account's existence comes from the same
statement (a LEFT JOIN from the account, or two EXISTS), so a read is one round trip."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncConnection

from users.application.character.ports.account_character_query_gateway import (
    AccountCharacterQueryGateway,
)
from users.domain.entities.user_character import UserCharacter
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.ids import UserId
from users.infrastructure.persistence_postgres.mappings.accounts import accounts_table as users
from users.infrastructure.persistence_postgres.mappings.user_characters import (
    user_characters_table as characters,
)

_USER = bindparam("user_id", type_=users.c.id.type)
_OWNED = characters.c.status == CharacterStatus.OWNED
_LIST_OWNED = (
    select(users.c.id.label("account_id"), characters)
    .select_from(
        users.outerjoin(characters, and_(characters.c.user_id == users.c.id, _OWNED))
    )
    .where(users.c.id == _USER)
    .order_by(characters.c.acquired_at.desc(), characters.c.id.desc())
)
_IS_OWNED = select(
    exists().where(users.c.id == _USER).label("account"),
    exists()
    .where(
        characters.c.user_id == _USER,
        characters.c.character_code
        == bindparam("code", type_=characters.c.character_code.type),
        _OWNED,
    )
    .label("owned"),
)


class SqlaCoreAccountCharacterQueryGateway(AccountCharacterQueryGateway):
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def list_owned(self, user_id: UserId) -> Sequence[UserCharacter] | None:
        rows = (await self._connection.execute(_LIST_OWNED, {"user_id": user_id})).all()
        if not rows:
            return None
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
            for row in rows
            if row.id is not None
        ]

    async def is_owned(self, user_id: UserId, code: CharacterCode) -> bool | None:
        row = (
            await self._connection.execute(_IS_OWNED, {"user_id": user_id, "code": code})
        ).one()
        return bool(row.owned) if row.account else None
