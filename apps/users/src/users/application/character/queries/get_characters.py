"""Query: the caller's owned characters."""

from __future__ import annotations

from users.application.character.dto.character import GetCharactersRequest, OwnedCharacter
from users.application.character.ports.user_character_query_gateway import (
    UserCharacterQueryGateway,
)
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.user_query_gateway import UserQueryGateway


class GetCharactersQuery:
    """Owned characters only (not burned or traded), newest first. Never writes:
    the default character is granted when the account is created, not here.

    :raises UserNotFoundError: the account does not exist.
    """

    def __init__(self, users: UserQueryGateway, characters: UserCharacterQueryGateway) -> None:
        self._users = users
        self._characters = characters

    async def execute(self, request: GetCharactersRequest) -> list[OwnedCharacter]:
        if not await self._users.exists(request.user_id):
            raise UserNotFoundError(request.user_id)
        return [
            OwnedCharacter(
                character_id=character.character_id,
                code=character.code.value,
                name=character.name,
                type=character.type,
                dialog=character.dialog,
                source=character.source,
                acquired_at=character.acquired_at,
            )
            for character in await self._characters.list_owned(request.user_id)
        ]
