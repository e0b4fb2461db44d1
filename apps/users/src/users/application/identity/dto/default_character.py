"""The character every new account starts with (from settings)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class DefaultCharacter:
    character_id: UUID
    code: str
    name: str
    type: str | None
    dialog: str | None
    source: str
