"""Create auth.login_audit (the schema itself is created by env.py).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "auth"


def upgrade() -> None:
    op.create_table(
        "login_audit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("provider", sa.String(64), nullable=True),
        sa.Column("session_id", sa.String(128), nullable=True),
        sa.Column("access_jti", sa.String(128), nullable=True),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(64), nullable=True),
        sa.Column("client_ip", sa.String(45), nullable=True),
        sa.Column("user_agent", sa.String(512), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_audit"),
        sa.CheckConstraint(
            "result IN ('success', 'failure', 'refresh_reuse')", name="ck_login_audit_result"
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_login_audit_user_id_occurred_at",
        "login_audit",
        ["user_id", "occurred_at"],
        schema=SCHEMA,
    )
    op.create_index("ix_login_audit_occurred_at", "login_audit", ["occurred_at"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_index("ix_login_audit_occurred_at", table_name="login_audit", schema=SCHEMA)
    op.drop_index("ix_login_audit_user_id_occurred_at", table_name="login_audit", schema=SCHEMA)
    op.drop_table("login_audit", schema=SCHEMA)
