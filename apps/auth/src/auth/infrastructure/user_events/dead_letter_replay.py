"""Apply the events parked in a dead-letter stream again, once their cause is fixed."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from auth.infrastructure.user_events.user_event import parse_user_event
from auth.infrastructure.user_events.user_event_handler import UserEventHandler
from servicekit.redis import RedisClient

logger = logging.getLogger(__name__)

PARKING_FIELDS = (b"error", b"source_id")  # what dead-lettering added to the event


@dataclass(frozen=True, slots=True)
class ReplayReport:
    replayed: int
    failed: int


async def replay_dead_letters(
    redis: RedisClient, dead_letter_stream: str, handler: UserEventHandler, *, count: int
) -> ReplayReport:
    """Apply the oldest ``count`` parked events with ``handler`` (the same one the
    consumer runs, so an event already applied changes nothing): each one applied is
    deleted from the dead-letter stream; one that fails again stays there, logged."""
    replayed = failed = 0
    for entry_id, fields in await redis.xrange(dead_letter_stream, count=count):
        original = {name: value for name, value in fields.items() if name not in PARKING_FIELDS}
        try:
            await handler(parse_user_event(original))
        except Exception as exc:  # noqa: BLE001 - reported; the entry stays parked
            failed += 1
            logger.warning(
                "dead-lettered event failed again; it stays parked",
                extra={"entry_id": entry_id.decode(), "error": repr(exc)},
            )
            continue
        await redis.xdel(dead_letter_stream, entry_id)
        replayed += 1
    return ReplayReport(replayed=replayed, failed=failed)
