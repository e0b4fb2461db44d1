"""Leave out of the export the client calls that no request or event caused."""

from __future__ import annotations

from opentelemetry.context import Context
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor
from opentelemetry.trace import SpanKind


class OrphanClientSpanFilter(SpanProcessor):
    """Forwards every span to `processor` except a client span without a parent.

    The instrumented clients (Redis, PostgreSQL, httpx) make a span of every call,
    including the calls of loops that run for no request: the revocation follower's
    and the consumers' blocking stream reads, the outbox relay's poll, the readiness
    probes' pings. Each would be a trace of one span, several a second per process.
    A call made for a request or an event is the child of its server, consumer or
    producer span, and is kept.
    """

    def __init__(self, processor: SpanProcessor) -> None:
        self._processor = processor

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self._processor.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        if span.parent is None and span.kind is SpanKind.CLIENT:
            return
        self._processor.on_end(span)

    def shutdown(self) -> None:
        self._processor.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._processor.force_flush(timeout_millis)
