"""Account lifecycle (expand): status, deletion dates, the admin audit; outbox payload in use.

- `accounts.status` ('active' | 'pending_deletion' | 'disabled', default 'active'),
  `deletion_requested_at`, `purge_after` (both NULL unless a deletion is requested).
  The column default is a constant, so PostgreSQL adds it without rewriting the table,
  and the previous release, which writes no status, keeps inserting active accounts.
  The CHECK is added NOT VALID: every row then holds the default, new and updated
  rows are checked, and no scan of the table is needed.
- `ix_accounts_purge_after`, partial (`purge_after IS NOT NULL`): the purge worker's
  scan. Building it reads the table once under the migration's lock (it indexes no
  row yet); on a very large table build it by hand first with CREATE INDEX
  CONCURRENTLY under the same name, and this revision skips it (IF NOT EXISTS).
- `admin_actions`: what administrators did to accounts, and who.
- `outbox.payload` (nullable since 0003) is written again, by the events that say more
  than their columns (`user.deletion_requested`, `user.purged`); the contract release
  that was to drop it does not happen.

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

SCHEMA = "users"


def upgrade() -> None:
    op.add_column(
        "accounts",
        sa.Column("status", sa.String(32), server_default="active", nullable=False),
        schema=SCHEMA,
    )
    op.add_column(
        "accounts",
        sa.Column("deletion_requested_at", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.add_column(
        "accounts",
        sa.Column("purge_after", sa.DateTime(timezone=True), nullable=True),
        schema=SCHEMA,
    )
    op.execute(
        "ALTER TABLE users.accounts ADD CONSTRAINT ck_accounts_status"
        " CHECK (status IN ('active', 'pending_deletion', 'disabled')) NOT VALID"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_accounts_purge_after ON users.accounts (purge_after)"
        " WHERE purge_after IS NOT NULL"
    )
    op.create_table(
        "admin_actions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("admin", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
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


def downgrade() -> None:
    # Forgets every deletion request and disable: the accounts are active again.
    op.drop_index("ix_admin_actions_user_id_occurred_at", "admin_actions", schema=SCHEMA)
    op.drop_table("admin_actions", schema=SCHEMA)
    op.execute("DROP INDEX IF EXISTS users.ix_accounts_purge_after")
    op.execute("ALTER TABLE users.accounts DROP CONSTRAINT IF EXISTS ck_accounts_status")
    op.drop_column("accounts", "purge_after", schema=SCHEMA)
    op.drop_column("accounts", "deletion_requested_at", schema=SCHEMA)
    op.drop_column("accounts", "status", schema=SCHEMA)
