"""Table `users.outbox` and the mapping of :class:`OutboxEvent`."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String, Table, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB

from users.infrastructure.outbox.outbox_event import OutboxEvent
from users.infrastructure.persistence_postgres.registry import mapper_registry, metadata

# Every insert into the outbox sends `NOTIFY users_outbox` (trigger of revision 0002);
# PostgreSQL delivers it when the inserting transaction commits, so the relay wakes
# on the commit instead of waiting for its next poll.
OUTBOX_NOTIFY_CHANNEL = "users_outbox"

# `payload` holds what an event says beyond the columns (revision 0004 put it back in
# use after 0003 made it nullable): NULL for most events, and cleared once published.
# `traceparent` (revision 0005): the W3C trace context of the writing span, NULL when
# tracing is off.
outbox_table = Table(
    "outbox",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("event_type", String(64), nullable=False),
    Column("aggregate_id", Uuid, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    Column("payload", JSONB, nullable=True),
    Column("traceparent", String(55), nullable=True),
    # The relay scans only what is left to publish, oldest first, and per aggregate.
    Index(
        "ix_outbox_unpublished",
        "occurred_at",
        "id",
        postgresql_where=text("published_at IS NULL"),
    ),
    Index(
        "ix_outbox_unpublished_aggregate",
        "aggregate_id",
        "occurred_at",
        "id",
        postgresql_where=text("published_at IS NULL"),
    ),
)


def map_outbox() -> None:
    mapper_registry.map_imperatively(
        OutboxEvent,
        outbox_table,
        properties={"event_id": outbox_table.c.id, "user_id": outbox_table.c.aggregate_id},
    )
