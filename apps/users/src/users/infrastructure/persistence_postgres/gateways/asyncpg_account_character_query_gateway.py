"""An account's characters read with asyncpg, one statement per question, on a read
connection: the account's existence comes from the same statement (a LEFT JOIN from
the account, or two EXISTS), so a read is one round trip; see `read_pool` for why
the driver."""

from __future__ import annotations

from collections.abc import Sequence

from asyncpg.pool import PoolConnectionProxy

from users.application.character.ports.account_character_query_gateway import (
    AccountCharacterQueryGateway,
)
from users.domain.entities.user_character import UserCharacter
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.ids import UserId

OWNED = CharacterStatus.OWNED.value
LIST_OWNED_SQL = """
SELECT a.id AS account_id, c.id, c.character_id, c.character_code, c.character_name,
       c.character_type, c.character_dialog, c.source, c.status, c.acquired_at, c.updated_at
FROM users.accounts AS a
LEFT JOIN users.user_characters AS c ON c.user_id = a.id AND c.status = $2
WHERE a.id = $1
ORDER BY c.acquired_at DESC, c.id DESC
"""
IS_OWNED_SQL = """
SELECT EXISTS (SELECT FROM users.accounts WHERE id = $1) AS account,
       EXISTS (SELECT FROM users.user_characters
               WHERE user_id = $1 AND character_code = $2 AND status = $3) AS owned
"""


class AsyncpgAccountCharacterQueryGateway(AccountCharacterQueryGateway):
    """Values are re-validated into value objects as the ORM mapping does."""

    def __init__(self, connection: PoolConnectionProxy) -> None:
        self._connection = connection

    async def list_owned(self, user_id: UserId) -> Sequence[UserCharacter] | None:
        rows = await self._connection.fetch(LIST_OWNED_SQL, user_id, OWNED)
        if not rows:
            return None
        return [
            UserCharacter(
                row["id"],
                user_id=user_id,
                character_id=row["character_id"],
                code=CharacterCode(row["character_code"]),
                name=row["character_name"],
                type_=row["character_type"],
                dialog=row["character_dialog"],
                source=row["source"],
                status=CharacterStatus(row["status"]),
                acquired_at=row["acquired_at"],
                updated_at=row["updated_at"],
            )
            for row in rows
            if row["id"] is not None
        ]

    async def is_owned(self, user_id: UserId, code: CharacterCode) -> bool | None:
        row = await self._connection.fetchrow(IS_OWNED_SQL, user_id, code.value, OWNED)
        if row is None or not row["account"]:
            return None
        return bool(row["owned"])
