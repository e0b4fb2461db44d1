"""The span in which a consumer applies a user event, in the trace of the change."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager

from opentelemetry import trace

from servicekit.trace_context import continued_from

tracer = trace.get_tracer(__name__)


def applying_event(
    fields: Mapping[bytes, bytes], *, entry_id: bytes, group: str
) -> AbstractContextManager[trace.Span]:
    """A consumer span `process <type>` (tracing on), the child of the span the entry's
    `traceparent` names (the users relay's publish span, itself the child of the request
    or purge that wrote the event); a trace of its own when the entry has none, as the
    entries written before traces were carried. The span is the current one while the
    event is applied, so that its calls and log lines belong to it."""
    traceparent = fields.get(b"traceparent")
    event_type = fields.get(b"type", b"").decode(errors="replace")
    return tracer.start_as_current_span(
        f"process {event_type}",
        context=continued_from(traceparent.decode("latin-1") if traceparent else None),
        kind=trace.SpanKind.CONSUMER,
        attributes={
            "messaging.system": "redis",
            "messaging.operation.type": "process",
            "messaging.consumer.group.name": group,
            "messaging.message.id": entry_id.decode(),
            "user_event.type": event_type,
        },
    )
