"""Granting characters in PostgreSQL, through the ORM; reads use the asyncpg query
gateways."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from users.application.identity.ports.user_character_command_gateway import (
    UserCharacterCommandGateway,
)
from users.domain.entities.user_character import UserCharacter


class SqlaUserCharacterCommandGateway(UserCharacterCommandGateway):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, character: UserCharacter) -> None:
        self._session.add(character)
