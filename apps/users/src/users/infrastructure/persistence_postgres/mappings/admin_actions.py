"""Table `users.admin_actions` and the mapping of :class:`AdminAction`."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Enum, Index, String, Table, Uuid

from users.domain.entities.admin_action import AdminAction, AdminActionKind, AdminActionOutcome
from users.infrastructure.persistence_postgres.registry import mapper_registry, metadata


def _values(enum: type[AdminActionKind] | type[AdminActionOutcome]) -> Enum:
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


admin_actions_table = Table(
    "admin_actions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("admin", String(AdminAction.ADMIN_MAX_LEN), nullable=False),
    Column("action", _values(AdminActionKind), nullable=False),
    # A reference, deliberately without a foreign key: the audit outlives the account.
    Column("user_id", Uuid, nullable=False),
    Column("outcome", _values(AdminActionOutcome), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Index("ix_admin_actions_user_id_occurred_at", "user_id", "occurred_at"),
)


def map_admin_actions() -> None:
    mapper_registry.map_imperatively(AdminAction, admin_actions_table)
