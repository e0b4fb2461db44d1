"""Query: does the caller own a given character?"""

from __future__ import annotations

from users.application.character.dto.character import CharacterOwnership, CheckOwnershipRequest
from users.application.character.ports.user_character_query_gateway import (
    UserCharacterQueryGateway,
)
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.user_query_gateway import UserQueryGateway
from users.domain.value_objects.character_code import CharacterCode


class CheckCharacterOwnershipQuery:
    """True only for status ``owned``; a burned or traded character is not owned.

    :raises InvalidCharacterCodeError: the code is not a valid character code.
    :raises UserNotFoundError: the account does not exist.
    """

    def __init__(self, users: UserQueryGateway, characters: UserCharacterQueryGateway) -> None:
        self._users = users
        self._characters = characters

    async def execute(self, request: CheckOwnershipRequest) -> CharacterOwnership:
        code = CharacterCode(request.code)
        if not await self._users.exists(request.user_id):
            raise UserNotFoundError(request.user_id)
        owned = await self._characters.is_owned(request.user_id, code)
        return CharacterOwnership(code=code.value, owned=owned)
