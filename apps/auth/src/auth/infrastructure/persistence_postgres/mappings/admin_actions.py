"""Table `auth.admin_actions` and its imperative mapping to AdminAction."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Column, DateTime, Enum, Index, String, Table, Uuid

from auth.domain.admin.admin_action import AdminAction, AdminActionKind, AdminActionOutcome
from auth.infrastructure.persistence_postgres.registry import mapper_registry, metadata


def _values(enum: type[StrEnum], length: int) -> Enum:
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )


admin_actions_table = Table(
    "admin_actions",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("admin", String(AdminAction.ADMIN_MAX_LEN), nullable=False),
    Column("action", _values(AdminActionKind, 32), nullable=False),
    # References to users' user and auth's session, deliberately without foreign keys.
    Column("user_id", Uuid(), nullable=True),
    Column("session_id", String(AdminAction.REFERENCE_MAX_LEN), nullable=True),
    Column("outcome", _values(AdminActionOutcome, 16), nullable=False),
    Column("detail", String(AdminAction.DETAIL_MAX_LEN), nullable=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Index("ix_admin_actions_user_id_occurred_at", "user_id", "occurred_at"),
    Index("ix_admin_actions_occurred_at", "occurred_at"),
)


def map_admin_actions() -> None:
    """Map AdminAction onto `auth.admin_actions`."""
    mapper_registry.map_imperatively(AdminAction, admin_actions_table)
