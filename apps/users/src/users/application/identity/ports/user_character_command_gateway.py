"""Port: grant characters."""

from __future__ import annotations

from typing import Protocol

from users.domain.entities.user_character import UserCharacter


class UserCharacterCommandGateway(Protocol):
    """Stages characters in the current transaction."""

    def add(self, character: UserCharacter) -> None:
        """Stage a character for the user (one per user and code)."""
        ...
