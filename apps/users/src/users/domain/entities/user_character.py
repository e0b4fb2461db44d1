"""A character a user acquired."""

from __future__ import annotations

from datetime import datetime

from kernel.entity import Entity
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.ids import CharacterId, UserCharacterId, UserId


class UserCharacter(Entity[UserCharacterId]):
    """One per ``(user, code)``. Only the ``owned`` status counts as owning it;
    ``burned`` and ``traded`` keep the history."""

    def __init__(
        self,
        id_: UserCharacterId,
        *,
        user_id: UserId,
        character_id: CharacterId,
        code: CharacterCode,
        name: str,
        type_: str | None,
        dialog: str | None,
        source: str,
        status: CharacterStatus,
        acquired_at: datetime,
        updated_at: datetime,
    ) -> None:
        super().__init__(id_)
        self.user_id = user_id
        self.character_id = character_id
        self.code = code
        self.name = name
        self.type = type_
        self.dialog = dialog
        self.source = source
        self.status = status
        self.acquired_at = acquired_at
        self.updated_at = updated_at

    @property
    def is_owned(self) -> bool:
        return self.status is CharacterStatus.OWNED
