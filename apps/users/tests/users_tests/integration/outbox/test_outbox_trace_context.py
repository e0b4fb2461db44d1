"""The outbox row records the writing span's trace context and the stream entry carries
it on. Tracing is not installed in this process, as in a relay with tracing off: the
row's `traceparent` goes on unchanged (with tracing on, the relay's publish span takes
its place: tests/e2e/test_traces.py)."""

from __future__ import annotations

from opentelemetry.sdk.trace import TracerProvider
from redis.asyncio import Redis
from sqlalchemy import text

from users.setup.settings import UsersSettings
from users_tests.integration.outbox.conftest import (
    Sessions,
    add_events,
    new_user_ids,
    stream_entries,
)
from users_tests.integration.outbox.test_outbox_relay import publisher_for, relay_for

TRACER = TracerProvider().get_tracer("test")  # the request's span, without an installation


async def traceparents(sessions: Sessions) -> list[str | None]:
    async with sessions() as session:
        rows = await session.execute(text("SELECT traceparent FROM users.outbox"))
    return [row.traceparent for row in rows]


async def test_a_row_written_in_a_span_carries_its_traceparent_into_the_entry(
    sessions: Sessions, redis: Redis, relay_settings: UsersSettings
) -> None:
    with TRACER.start_as_current_span("DELETE /api/v1/users/me") as request:
        [event] = await add_events(sessions, new_user_ids(1))
    context = request.get_span_context()
    written = f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"
    assert await traceparents(sessions) == [written]

    assert await relay_for(sessions, publisher_for(redis, relay_settings)).relay_batch() == 1

    [entry] = await stream_entries(redis, relay_settings.events_stream)
    assert entry == {
        "type": "user.disabled",
        "event_id": str(event.event_id),
        "user_id": str(event.user_id),
        "occurred_at": event.occurred_at.isoformat(),
        "traceparent": written,
    }


async def test_a_row_written_outside_any_span_has_none_and_its_entry_no_field(
    sessions: Sessions, redis: Redis, relay_settings: UsersSettings
) -> None:
    await add_events(sessions, new_user_ids(1))
    assert await traceparents(sessions) == [None]
    assert await relay_for(sessions, publisher_for(redis, relay_settings)).relay_batch() == 1
    [entry] = await stream_entries(redis, relay_settings.events_stream)
    assert "traceparent" not in entry
