"""A trace carried in data as a W3C `traceparent`: written from the current span, continued
from the stored value."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider

from servicekit.trace_context import continued_from, current_traceparent

TRACER = TracerProvider().get_tracer("test")  # a provider of its own: none is installed
STORED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_no_current_span_no_traceparent() -> None:
    assert current_traceparent() is None


def test_the_current_spans_traceparent() -> None:
    with TRACER.start_as_current_span("write") as span:
        written = current_traceparent()
    context = span.get_span_context()
    assert context.trace_flags.sampled
    assert written == f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def test_a_span_continued_from_a_stored_traceparent_is_its_child() -> None:
    with TRACER.start_as_current_span("apply", context=continued_from(STORED)) as span:
        pass
    assert isinstance(span, ReadableSpan)
    assert span.parent is not None
    assert f"{span.parent.trace_id:032x}-{span.parent.span_id:016x}" == STORED[3:52]
    assert span.get_span_context().trace_id == span.parent.trace_id


@pytest.mark.parametrize("stored", [None, "", "00-not-a-trace-01", f"00-{'0' * 32}-{'0' * 16}-01"])
def test_without_a_usable_traceparent_the_span_starts_a_trace_of_its_own(
    stored: str | None,
) -> None:
    with (
        TRACER.start_as_current_span("unrelated") as current,
        TRACER.start_as_current_span("apply", context=continued_from(stored)) as span,
    ):
        pass
    assert isinstance(span, ReadableSpan)
    assert span.parent is None
    assert span.get_span_context().trace_id != current.get_span_context().trace_id
