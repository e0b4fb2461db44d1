"""Query: does the caller own a given character?"""

from __future__ import annotations

from users.application.character.dto.character import CharacterOwnership, CheckOwnershipRequest
from users.application.character.ports.account_character_query_gateway import (
    AccountCharacterQueryGateway,
)
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.domain.value_objects.character_code import CharacterCode


class CheckCharacterOwnershipQuery:
    """True only for status ``owned``; a burned or traded character is not owned.

    :raises InvalidCharacterCodeError: the code is not a valid character code.
    :raises UserNotFoundError: the account does not exist.
    """

    def __init__(self, characters: AccountCharacterQueryGateway) -> None:
        self._characters = characters

    async def execute(self, request: CheckOwnershipRequest) -> CharacterOwnership:
        code = CharacterCode(request.code)
        owned = await self._characters.is_owned(request.user_id, code)
        if owned is None:
            raise UserNotFoundError(request.user_id)
        return CharacterOwnership(code=code.value, owned=owned)
