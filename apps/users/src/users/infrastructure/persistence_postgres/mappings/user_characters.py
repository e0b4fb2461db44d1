"""Table `users.user_characters` and the mapping of :class:`UserCharacter`."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from users.domain.entities.user_character import UserCharacter
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.infrastructure.persistence_postgres.constraints import (
    FK_USER_CHARACTERS_USER,
    UQ_USER_CHARACTERS_USER_CODE,
)
from users.infrastructure.persistence_postgres.registry import mapper_registry, metadata
from users.infrastructure.persistence_postgres.types import StringValue

STATUS_VALUES = tuple(status.value for status in CharacterStatus)

user_characters_table = Table(
    "user_characters",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column(
        "user_id",
        Uuid,
        ForeignKey("accounts.id", name=FK_USER_CHARACTERS_USER, ondelete="CASCADE"),
        nullable=False,
    ),
    Column("character_id", Uuid, nullable=False),
    Column("character_code", StringValue(CharacterCode, CharacterCode.MAX_LEN), nullable=False),
    Column("character_name", String(100), nullable=False),
    Column("character_type", String(64), nullable=True),
    Column("character_dialog", Text, nullable=True),
    Column("source", String(64), nullable=False),
    Column(
        "status",
        Enum(
            CharacterStatus,
            native_enum=False,
            create_constraint=False,
            length=16,
            values_callable=lambda statuses: [status.value for status in statuses],
        ),
        nullable=False,
    ),
    Column("acquired_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("user_id", "character_code", name=UQ_USER_CHARACTERS_USER_CODE),
    CheckConstraint(f"status IN {STATUS_VALUES!r}", name="status"),
    Index("ix_user_characters_user_id_acquired_at", "user_id", "acquired_at"),
)


def map_user_characters() -> None:
    mapper_registry.map_imperatively(
        UserCharacter,
        user_characters_table,
        properties={
            "code": user_characters_table.c.character_code,
            "name": user_characters_table.c.character_name,
            "type": user_characters_table.c.character_type,
            "dialog": user_characters_table.c.character_dialog,
        },
    )
