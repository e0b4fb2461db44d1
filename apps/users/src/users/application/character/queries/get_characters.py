"""Query: the caller's owned characters."""

from __future__ import annotations

from users.application.character.dto.character import GetCharactersRequest, OwnedCharacter
from users.application.character.ports.account_character_query_gateway import (
    AccountCharacterQueryGateway,
)
from users.application.common.exceptions.user_not_found import UserNotFoundError


class GetCharactersQuery:
    """Owned characters only (not burned or traded), newest first. Never writes:
    the default character is granted when the account is created, not here.

    :raises UserNotFoundError: the account does not exist.
    """

    def __init__(self, characters: AccountCharacterQueryGateway) -> None:
        self._characters = characters

    async def execute(self, request: GetCharactersRequest) -> list[OwnedCharacter]:
        owned = await self._characters.list_owned(request.user_id)
        if owned is None:
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
            for character in owned
        ]
