"""Port: read the characters users acquired."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from users.domain.entities.user_character import UserCharacter
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.ids import UserId


class UserCharacterQueryGateway(Protocol):
    """Reads characters; "owned" means status ``owned`` only."""

    async def list_owned(self, user_id: UserId) -> Sequence[UserCharacter]:
        """The user's owned characters, newest acquisition first."""
        ...

    async def is_owned(self, user_id: UserId, code: CharacterCode) -> bool:
        """Whether the user owns the character with this code."""
        ...
