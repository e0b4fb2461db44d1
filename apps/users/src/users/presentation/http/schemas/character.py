"""Character schemas."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, RootModel

from users.application.character.dto.character import CharacterOwnership, OwnedCharacter


class CharacterResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "character_id": "0192f0c8-0000-7000-8000-00000000ec02",
                    "code": "char-eco",
                    "name": "이코",
                    "type": "기본",
                    "dialog": "안녕! 나는 이코야. 오늘도 분리배출 같이 해 보자!",
                    "source": "default",
                    "acquired_at": "2026-01-02T05:20:00+00:00",
                }
            ]
        }
    )

    character_id: UUID
    code: str
    name: str
    type: str | None
    dialog: str | None
    source: str
    acquired_at: datetime

    @classmethod
    def of(cls, character: OwnedCharacter) -> CharacterResponse:
        """Built without validation: the character's fields already have these types."""
        return cls.model_construct(
            character_id=character.character_id,
            code=character.code,
            name=character.name,
            type=character.type,
            dialog=character.dialog,
            source=character.source,
            acquired_at=character.acquired_at,
        )


class CharacterList(RootModel[list[CharacterResponse]]):
    """A list of characters, serialized in one pass."""


class OwnershipResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "char-eco", "owned": True}]})

    code: str
    owned: bool

    @classmethod
    def of(cls, ownership: CharacterOwnership) -> OwnershipResponse:
        """Built without validation: the answer's fields already have these types."""
        return cls.model_construct(code=ownership.code, owned=ownership.owned)
