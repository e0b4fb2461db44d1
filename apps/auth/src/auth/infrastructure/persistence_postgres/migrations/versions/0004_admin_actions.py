"""Create auth.admin_actions: what administrators did through the admin API, and who.

A new table only (expand): the previous release neither reads nor writes it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "auth"


def upgrade() -> None:
    op.create_table(
        "admin_actions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("admin", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("session_id", sa.String(128), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.String(512), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_admin_actions"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_admin_actions_user_id_occurred_at",
        "admin_actions",
        ["user_id", "occurred_at"],
        schema=SCHEMA,
    )
    op.create_index("ix_admin_actions_occurred_at", "admin_actions", ["occurred_at"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("admin_actions", schema=SCHEMA)
