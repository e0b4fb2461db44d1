"""Identifiers without rules beyond being UUIDs."""

from __future__ import annotations

from typing import NewType
from uuid import UUID

UserId = NewType("UserId", UUID)
SocialAccountId = NewType("SocialAccountId", UUID)
UserCharacterId = NewType("UserCharacterId", UUID)
CharacterId = NewType("CharacterId", UUID)
