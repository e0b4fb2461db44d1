"""Notify the outbox relay on commit: an insert into users.outbox sends NOTIFY users_outbox.

A statement-level trigger, so any writer of the outbox wakes the relay, and one
notification per inserting statement (PostgreSQL also folds identical notifications
of one transaction into one). The payload is empty: the relay reads the rows itself.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The channel is a literal here (revisions do not change with the code); the relay
# listens on OUTBOX_NOTIFY_CHANNEL, which must stay equal to it.
CHANNEL = "users_outbox"


def upgrade() -> None:
    op.execute(
        f"""
        CREATE FUNCTION users.notify_outbox_relay() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER outbox_notify_relay
        AFTER INSERT ON users.outbox
        FOR EACH STATEMENT EXECUTE FUNCTION users.notify_outbox_relay()
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_notify_relay ON users.outbox")
    op.execute("DROP FUNCTION IF EXISTS users.notify_outbox_relay()")
