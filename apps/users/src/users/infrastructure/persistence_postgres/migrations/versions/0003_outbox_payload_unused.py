"""The outbox's `payload` is no longer written: make it nullable (expand).

It repeated `aggregate_id` and `occurred_at` and no reader ever used it; the relay
builds the stream entry from the columns. Nullable, so the previous version (which
still writes it) and this one (which does not) share the table during a canary; a
later contract release drops the column (k8s/README.md, "expand/contract").

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "users"


def upgrade() -> None:
    op.alter_column(
        "outbox", "payload", existing_type=postgresql.JSONB(), nullable=True, schema=SCHEMA
    )


def downgrade() -> None:
    # Rebuild what the previous version wrote from the columns it repeated (occurred_at
    # in ISO 8601 with its UTC offset, as Python's isoformat() wrote it).
    op.execute("SET LOCAL TimeZone = 'UTC'")
    op.execute(
        """
        UPDATE users.outbox SET payload = jsonb_build_object(
            'user_id', aggregate_id::text,
            'occurred_at', to_json(occurred_at)
        )
        WHERE payload IS NULL
        """
    )
    op.alter_column(
        "outbox", "payload", existing_type=postgresql.JSONB(), nullable=False, schema=SCHEMA
    )
