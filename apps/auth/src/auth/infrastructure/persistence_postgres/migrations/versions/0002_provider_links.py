"""Create auth.provider_tokens and auth.provider_unlinks (provider unlink at deletion).

Expand-only: two new tables, nothing existing changes, so the release before this one
runs against the migrated schema unchanged (it neither reads nor writes them).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "auth"


def upgrade() -> None:
    op.create_table(
        "provider_tokens",
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("provider_user_id", sa.String(255), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=True),
        sa.Column("refresh_token", sa.LargeBinary(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("provider", "provider_user_id", name="pk_provider_tokens"),
        sa.CheckConstraint(
            "(key_id IS NULL) = (refresh_token IS NULL)",
            name="ck_provider_tokens_sealed_with_key",
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_provider_tokens_user_id", "provider_tokens", ["user_id"], schema=SCHEMA)
    op.create_index(
        "ix_provider_tokens_key_id",
        "provider_tokens",
        ["key_id"],
        schema=SCHEMA,
        postgresql_where=sa.text("key_id IS NOT NULL"),
    )
    op.create_table(
        "provider_unlinks",
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "provider", name="pk_provider_unlinks"),
        sa.CheckConstraint(
            "outcome IN ('unlinked', 'already_gone', 'skipped', 'relinked')",
            name="ck_provider_unlinks_outcome",
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_provider_unlinks_user_id", "provider_unlinks", ["user_id"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_index("ix_provider_unlinks_user_id", table_name="provider_unlinks", schema=SCHEMA)
    op.drop_table("provider_unlinks", schema=SCHEMA)
    op.drop_index("ix_provider_tokens_key_id", table_name="provider_tokens", schema=SCHEMA)
    op.drop_index("ix_provider_tokens_user_id", table_name="provider_tokens", schema=SCHEMA)
    op.drop_table("provider_tokens", schema=SCHEMA)
