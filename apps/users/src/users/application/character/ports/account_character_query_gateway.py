"""Port: read an account's characters in one step, telling a missing account apart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from users.domain.entities.user_character import UserCharacter
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.ids import UserId


class AccountCharacterQueryGateway(Protocol):
    """Reads an account's characters; each answer also says whether the account
    exists, so a read needs no separate existence check. "Owned" means status
    ``owned`` only."""

    async def list_owned(self, user_id: UserId) -> Sequence[UserCharacter] | None:
        """The account's owned characters, newest acquisition first; None when the
        account does not exist."""
        ...

    async def is_owned(self, user_id: UserId, code: CharacterCode) -> bool | None:
        """Whether the account owns the character with this code; None when the
        account does not exist."""
        ...
