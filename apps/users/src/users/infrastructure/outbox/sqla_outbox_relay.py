"""The relay loop: claim unpublished rows, publish them, mark them, repeat."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from opentelemetry import trace
from sqlalchemy import Select, exists, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kernel.clock import Clock, SystemClock
from servicekit.trace_context import continued_from, current_traceparent, within
from users.infrastructure.loops.failure_backoff import FailureBackoff
from users.infrastructure.loops.waiting import wait_for_any
from users.infrastructure.observability.metrics import OUTBOX_EVENTS, OUTBOX_FAILURES, OUTBOX_LAG
from users.infrastructure.outbox.event_publisher import EventPublisher
from users.infrastructure.outbox.outbox_event import OutboxEvent
from users.infrastructure.outbox.outbox_table import outbox_table

logger = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)


def _claim_statement(
    limit: int,
) -> Select[tuple[UUID, str, UUID, datetime, dict[str, Any] | None, str | None]]:
    """Oldest unpublished rows that head their user's queue, locked, skipping locked ones."""
    outbox = outbox_table
    earlier = outbox_table.alias("earlier")
    has_earlier_unpublished = exists().where(
        earlier.c.aggregate_id == outbox.c.aggregate_id,
        earlier.c.published_at.is_(None),
        tuple_(earlier.c.occurred_at, earlier.c.id) < tuple_(outbox.c.occurred_at, outbox.c.id),
    )
    return (
        select(
            outbox.c.id,
            outbox.c.event_type,
            outbox.c.aggregate_id,
            outbox.c.occurred_at,
            outbox.c.payload,
            outbox.c.traceparent,
        )
        .where(outbox.c.published_at.is_(None), ~has_earlier_unpublished)
        .order_by(outbox.c.occurred_at, outbox.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=outbox)
    )


class SqlaOutboxRelay:
    """At least once, in order per user, never twice at the same time.

    - Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED``, so concurrent relays
      take disjoint rows; a row is eligible only when no earlier unpublished row of
      the same user exists, so one user's events go out in order even across relays.
    - A row's payload (personal data such as a purged account's provider identities)
      is cleared when the row is marked published: the stream entry carries it on.
    - A batch is published and marked in the claiming transaction: if the relay dies
      before the commit, the rows stay unpublished and are sent again; the publisher
      drops the repeats (one stream entry per event).
    - Any failure (PostgreSQL or Redis down) is logged and retried after an
      exponential back-off from ``poll_interval`` up to ``max_backoff``
      (``FailureBackoff``); nothing is lost.
    - When drained it waits ``poll_interval``, or less: setting ``wake`` (a commit
      notification, see ``AsyncpgCommitListener``) starts the next batch at once.
    - Each event sent is logged (event id, user id, outcome) once its batch committed.
    - With tracing on, each event is published in a producer span, the child of the
      span that wrote the row (its `traceparent`), and the stream entry carries this
      span's `traceparent`, so that consumers continue the trace; with tracing off
      the entry carries the row's on.
    - ``run`` returns after the batch in progress when ``stop`` is set.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        publisher: EventPublisher,
        *,
        batch_size: int,
        poll_interval: float,
        max_backoff: float,
        clock: Clock | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._publisher = publisher
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._max_backoff = max_backoff
        self._clock = clock or SystemClock()

    async def relay_batch(self) -> int:
        """Publish and mark one batch; returns how many rows it took."""
        async with self._session_factory() as session, session.begin():
            rows = (await session.execute(_claim_statement(self._batch_size))).all()
            events = [
                OutboxEvent(
                    event_id=row.id,
                    event_type=row.event_type,
                    user_id=row.aggregate_id,
                    occurred_at=row.occurred_at,
                    payload=row.payload,
                    traceparent=row.traceparent,
                )
                for row in rows
            ]
            sent = [await self._publish(event) for event in events]
            if events:
                await session.execute(
                    update(outbox_table)
                    .where(outbox_table.c.id.in_([event.event_id for event in events]))
                    .values(published_at=self._clock.now(), payload=None)
                )
        for event, new in sent:
            self._record(event, "published" if new else "duplicate")
        return len(events)

    async def _publish(self, event: OutboxEvent) -> tuple[OutboxEvent, bool]:
        """The event as sent (with its entry's `traceparent`), and whether it was new."""
        with tracer.start_as_current_span(
            f"publish {event.event_type}",
            context=continued_from(event.traceparent),
            kind=trace.SpanKind.PRODUCER,
            attributes={
                "messaging.system": "redis",
                "messaging.operation.type": "send",
                "messaging.message.id": str(event.event_id),
                "user_event.type": event.event_type,
            },
        ):
            sent = replace(event, traceparent=current_traceparent() or event.traceparent)
            return sent, await self._publisher.publish(sent)

    def _record(self, event: OutboxEvent, outcome: str) -> None:
        lag = max(0.0, (self._clock.now() - event.occurred_at).total_seconds())
        OUTBOX_EVENTS.labels(outcome).inc()
        OUTBOX_LAG.set(lag)
        with within(event.traceparent):  # the line of the event's trace
            logger.info(
                "outbox event %s",
                outcome,
                extra={
                    "event_id": str(event.event_id),
                    "event_type": event.event_type,
                    "user_id": str(event.user_id),
                    "outcome": outcome,
                    "lag_s": round(lag, 4),
                },
            )

    async def run(self, stop: asyncio.Event, wake: asyncio.Event | None = None) -> None:
        """Relay until ``stop`` is set; ``wake`` cuts a poll wait short."""
        wake = wake or asyncio.Event()
        backoff = FailureBackoff(
            logger, "outbox relay", first_delay=self._poll_interval, max_delay=self._max_backoff
        )
        while not stop.is_set():
            wake.clear()  # a commit notified from here on gets a batch of its own
            try:
                taken = await self.relay_batch()
            except Exception as error:  # noqa: BLE001 - logged; the loop must go on
                OUTBOX_FAILURES.inc()
                await wait_for_any(backoff.failed(error), stop)
                continue
            backoff.succeeded()
            if taken < self._batch_size:
                await wait_for_any(self._poll_interval, stop, wake)
