"""A trace carried in data (an outbox row, a stream entry) as a W3C `traceparent`.

Always the W3C format, whatever `OTEL_PROPAGATORS` says for HTTP: the value is part
of the stored contract between services (the users outbox, the user event stream).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry.context import Context, attach, detach
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_W3C = TraceContextTextMapPropagator()
TRACEPARENT = "traceparent"


def current_traceparent() -> str | None:
    """The `traceparent` of the current span; None when there is none (tracing off, or
    outside any request or event)."""
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return carrier.get(TRACEPARENT)


def continued_from(traceparent: str | None) -> Context:
    """The context in which a span is the child of the span `traceparent` names; an
    empty context (the span starts a trace of its own) when it is absent or malformed."""
    return _W3C.extract({TRACEPARENT: traceparent} if traceparent else {}, context=Context())


@contextmanager
def within(traceparent: str | None) -> Iterator[None]:
    """Makes the span `traceparent` names current for the block, as a span that records
    nothing: the log lines written about it after it ended carry its ids."""
    token = attach(continued_from(traceparent))
    try:
        yield
    finally:
        detach(token)
