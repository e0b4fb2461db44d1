"""One consumer of a Redis consumer group on the users' event stream.

Per message: the consumer's handler applies it (the blacklist relay's runs revoke-all,
the audit eraser's clears a purged user's login audit, the provider-unlink worker's
ends the user's links at the providers; all idempotent), then XACK, and one info line
(entry and event id, user id, outcome); an event its handler does not act on is
acknowledged and ignored. A message is acknowledged only after it was applied.

A consumer restarted under the same name first re-reads its own pending messages
(XREADGROUP from id 0) and applies them at once. Messages pending longer than the
min idle time (another consumer gone for good, or an attempt failed) are claimed
with XAUTOCLAIM and retried; one delivered `max_deliveries` times, or malformed, is
copied to the dead-letter stream (with the error and its source id), then
acknowledged, and logged. The two streams may live on different cluster slots, so
that is two commands: a consumer dying in between parks the message again at its
next delivery (replaying both changes nothing more: every handler is idempotent).
A failure that is an outage of auth's own PostgreSQL or Redis never dead-letters:
the message stays pending and is retried until the dependency is back.

A group that vanished (NOGROUP: Redis came back empty) is created again, from the
stream's start. `stop()` ends `run()` between messages.

With tracing on, each message is applied in a consumer span continuing the trace its
entry carries (`applying_event`); a failure marks that span as an error.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace
from redis.exceptions import RedisError, ResponseError

from auth.infrastructure.observability.metrics import RELAY_LAG, RELAY_MESSAGES
from auth.infrastructure.user_events.event_span import applying_event
from auth.infrastructure.user_events.user_event import PoisonMessageError, parse_user_event
from auth.infrastructure.user_events.user_event_handler import UserEventHandler
from servicekit.dependency_faults import is_dependency_fault
from servicekit.redis import RedisClient

logger = logging.getLogger(__name__)

DEAD_LETTER_MAXLEN = 10_000


class RedisUserEventConsumer:
    """One consumer of the group; `run()` until `stop()`."""

    def __init__(
        self,
        redis: RedisClient,
        *,
        stream: str,
        group: str,
        consumer: str,
        dead_letter_stream: str,
        handler: UserEventHandler,
        max_deliveries: int,
        claim_min_idle_seconds: float,
        block_seconds: float,
        batch_size: int,
        name: str = "blacklist relay",
    ) -> None:
        self._redis = redis
        self._stream = stream
        self._group = group
        self._consumer = consumer
        self._dead_letter = dead_letter_stream
        self._handler = handler
        self._name = name
        self._messages = {
            outcome: RELAY_MESSAGES.labels(group, outcome)
            for outcome in ("applied", "ignored", "retry", "dead_letter")
        }
        self._lag = RELAY_LAG.labels(group)
        self._max_deliveries = max_deliveries
        self._min_idle_ms = int(claim_min_idle_seconds * 1000)
        self._block_ms = max(1, int(block_seconds * 1000))
        self._batch = batch_size
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Finish the message in hand, then return from `run()`."""
        self._stopping.set()

    async def ensure_group(self) -> None:
        """Create the group (from the stream's start) unless it exists."""
        try:
            await self._redis.xgroup_create(self._stream, self._group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def run(self) -> None:
        await self.ensure_group()
        logger.info(
            "%s started",
            self._name,
            extra={"stream": self._stream, "group": self._group, "consumer": self._consumer},
        )
        resumed = False
        while not self._stopping.is_set():
            try:
                if not resumed:
                    await self.resume_own_pending()
                    resumed = True
                handled = await self.run_once()
            except RedisError as exc:
                if await self._recreated_lost_group(exc):
                    continue
                logger.warning("redis unavailable; retrying", extra={"error": repr(exc)})
                await self._pause(1.0)
                continue
            if handled == 0:
                await asyncio.sleep(0)
        logger.info("%s stopped", self._name)

    async def _recreated_lost_group(self, exc: RedisError) -> bool:
        """After NOGROUP (Redis came back without its data), recreate the group; True if done."""
        if not (isinstance(exc, ResponseError) and str(exc).startswith("NOGROUP")):
            return False
        logger.warning(
            "consumer group missing (Redis lost its data?); recreating it",
            extra={"stream": self._stream, "group": self._group},
        )
        try:
            await self.ensure_group()
        except RedisError:
            return False
        return True

    async def run_once(self, *, block: bool = True) -> int:
        """Claim stale pending messages, then read new ones; return how many were handled."""
        handled = await self._reclaim()
        if self._stopping.is_set():
            return handled
        reply = await self._redis.xreadgroup(
            self._group,
            self._consumer,
            {self._stream: ">"},
            count=self._batch,
            block=self._block_ms if block and handled == 0 else None,
        )
        for _stream, entries in reply or []:
            for entry_id, fields in entries:
                await self._handle(entry_id, fields)
                handled += 1
        return handled

    async def resume_own_pending(self) -> int:
        """Apply the messages this consumer read but never acknowledged (it was killed
        holding them), at once: XREADGROUP from id 0 returns the consumer's own pending
        entries, where XAUTOCLAIM would wait `claim_min_idle_seconds`. A message that
        fails again stays pending for the usual retry. Returns how many were handled."""
        handled, after = 0, b"0"
        while not self._stopping.is_set():
            reply = await self._redis.xreadgroup(
                self._group, self._consumer, {self._stream: after}, count=self._batch
            )
            entries = reply[0][1] if reply else []
            if not entries:
                break
            for entry_id, fields in entries:
                after = entry_id
                if not fields:  # deleted from the stream while pending
                    await self._redis.xack(self._stream, self._group, entry_id)
                    continue
                await self._handle(entry_id, fields)
                handled += 1
        if handled:
            logger.info("resumed own pending user events", extra={"count": handled})
        return handled

    async def _reclaim(self) -> int:
        _next, claimed, *_ = await self._redis.xautoclaim(
            self._stream, self._group, self._consumer, self._min_idle_ms, "0-0", count=self._batch
        )
        for entry_id, fields in claimed:
            if fields is None:  # deleted from the stream while pending
                await self._redis.xack(self._stream, self._group, entry_id)
                continue
            await self._handle(entry_id, fields)
        return len(claimed)

    async def _handle(self, entry_id: bytes, fields: dict[bytes, bytes]) -> None:
        with applying_event(fields, entry_id=entry_id, group=self._group):
            await self._apply(entry_id, fields)

    async def _apply(self, entry_id: bytes, fields: dict[bytes, bytes]) -> None:
        try:
            event = parse_user_event(fields)
            applied = await self._handler(event)
        except PoisonMessageError as exc:
            _mark_failed(exc)
            await self._dead_letter_message(entry_id, fields, repr(exc))
            return
        except Exception as exc:  # noqa: BLE001  (any failure is retried, then dead-lettered)
            _mark_failed(exc)
            await self._failed(entry_id, fields, exc)
            return
        await self._redis.xack(self._stream, self._group, entry_id)
        outcome = "applied" if applied else "ignored"
        self._messages[outcome].inc()
        lag = None
        if event.occurred_at is not None:
            lag = max(0.0, (datetime.now(UTC) - event.occurred_at).total_seconds())
            self._lag.set(lag)
        logger.info(
            "user event %s",
            outcome,
            extra={
                "entry_id": entry_id.decode(),
                "event_id": event.event_id,
                "event_type": event.event_type,
                "group": self._group,
                "user_id": str(event.user_id) if event.user_id else None,
                "outcome": outcome,
                "lag_s": lag,
            },
        )

    async def _failed(self, entry_id: bytes, fields: dict[bytes, bytes], exc: Exception) -> None:
        pending = await self._redis.xpending_range(
            self._stream, self._group, min=entry_id, max=entry_id, count=1
        )
        deliveries = int(pending[0]["times_delivered"]) if pending else self._max_deliveries
        if deliveries >= self._max_deliveries and not is_dependency_fault(exc):
            await self._dead_letter_message(entry_id, fields, repr(exc))
            return
        self._messages["retry"].inc()
        logger.warning(
            "user event failed; it will be retried",
            extra={
                "entry_id": entry_id.decode(),
                "group": self._group,
                "deliveries": deliveries,
                "error": repr(exc),
            },
        )

    async def _dead_letter_message(
        self, entry_id: bytes, fields: dict[bytes, bytes], error: str
    ) -> None:
        parked: dict[Any, Any] = {**fields, "error": error, "source_id": entry_id}
        await self._redis.xadd(
            self._dead_letter, parked, maxlen=DEAD_LETTER_MAXLEN, approximate=True
        )
        await self._redis.xack(self._stream, self._group, entry_id)
        self._messages["dead_letter"].inc()
        logger.error(
            "user event moved to the dead-letter stream",
            extra={"entry_id": entry_id.decode(), "dead_letter": self._dead_letter, "error": error},
        )

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except TimeoutError:
            return


def _mark_failed(exc: Exception) -> None:
    """The current (consumer) span ends as an error, with the exception."""
    span = trace.get_current_span()
    span.record_exception(exc)
    span.set_status(trace.StatusCode.ERROR, repr(exc))
