"""Create the users schema: accounts, social accounts, user characters, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "users"


def _timestamps() -> list[sa.Column[datetime]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    # env.py creates the schema itself before running revisions.
    op.create_table(
        "accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("nickname", sa.String(20), nullable=True),
        sa.Column("name", sa.String(100), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone_number", sa.String(13), nullable=True),
        sa.Column("profile_image_url", sa.String(2048), nullable=True),
        *_timestamps(),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        schema=SCHEMA,
    )
    op.create_table(
        "social_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("provider_user_id", sa.String(255), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("email_verified", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("name", sa.String(100), nullable=True),
        sa.Column("profile_image_url", sa.String(2048), nullable=True),
        *_timestamps(),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_social_accounts"),
        sa.UniqueConstraint(
            "provider", "provider_user_id", name="uq_social_accounts_provider_provider_user_id"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            [f"{SCHEMA}.accounts.id"],
            name="fk_social_accounts_user_id_accounts",
            ondelete="CASCADE",
            deferrable=True,
            initially="DEFERRED",
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_social_accounts_user_id", "social_accounts", ["user_id"], schema=SCHEMA)
    op.create_table(
        "user_characters",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("character_id", sa.Uuid(), nullable=False),
        sa.Column("character_code", sa.String(64), nullable=False),
        sa.Column("character_name", sa.String(100), nullable=False),
        sa.Column("character_type", sa.String(64), nullable=True),
        sa.Column("character_dialog", sa.Text(), nullable=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_user_characters"),
        sa.UniqueConstraint(
            "user_id", "character_code", name="uq_user_characters_user_id_character_code"
        ),
        sa.CheckConstraint(
            "status IN ('owned', 'burned', 'traded')", name=op.f("ck_user_characters_status")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            [f"{SCHEMA}.accounts.id"],
            name="fk_user_characters_user_id_accounts",
            ondelete="CASCADE",
        ),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_user_characters_user_id_acquired_at",
        "user_characters",
        ["user_id", "acquired_at"],
        schema=SCHEMA,
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("aggregate_id", sa.Uuid(), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["occurred_at", "id"],
        schema=SCHEMA,
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.create_index(
        "ix_outbox_unpublished_aggregate",
        "outbox",
        ["aggregate_id", "occurred_at", "id"],
        schema=SCHEMA,
        postgresql_where=sa.text("published_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("outbox", schema=SCHEMA)
    op.drop_table("user_characters", schema=SCHEMA)
    op.drop_table("social_accounts", schema=SCHEMA)
    op.drop_table("accounts", schema=SCHEMA)
