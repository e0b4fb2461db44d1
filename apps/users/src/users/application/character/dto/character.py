"""Character requests and responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from users.domain.value_objects.ids import UserId


@dataclass(frozen=True, slots=True)
class OwnedCharacter:
    character_id: UUID
    code: str
    name: str
    type: str | None
    dialog: str | None
    source: str
    acquired_at: datetime


@dataclass(frozen=True, slots=True)
class CharacterOwnership:
    code: str
    owned: bool


@dataclass(frozen=True, slots=True)
class GetCharactersRequest:
    user_id: UserId


@dataclass(frozen=True, slots=True)
class CheckOwnershipRequest:
    user_id: UserId
    code: str
