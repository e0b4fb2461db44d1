"""Create the users schema (tables follow in later revisions).

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # env.py creates the schema before running revisions; nothing else yet.
    pass


def downgrade() -> None:
    pass
