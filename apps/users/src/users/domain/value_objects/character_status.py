"""What became of a character a user acquired."""

from __future__ import annotations

from enum import StrEnum


class CharacterStatus(StrEnum):
    """Only ``OWNED`` counts as owning the character."""

    OWNED = "owned"
    BURNED = "burned"
    TRADED = "traded"
