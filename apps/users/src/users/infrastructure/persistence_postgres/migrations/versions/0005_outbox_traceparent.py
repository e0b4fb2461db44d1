"""The outbox row's trace context: `outbox.traceparent` (expand).

The W3C `traceparent` of the span that wrote the row, which the relay carries on in
the stream entry so that the event's consumers continue the request's trace. NULL
when tracing is off, and in the rows of the previous release, which does not write
it; its relay ignores the column. Adding a nullable column without a default
rewrites nothing.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "users"


def upgrade() -> None:
    op.add_column("outbox", sa.Column("traceparent", sa.String(55), nullable=True), schema=SCHEMA)


def downgrade() -> None:
    # The rows' trace contexts are forgotten: their events are published without one.
    op.drop_column("outbox", "traceparent", schema=SCHEMA)
