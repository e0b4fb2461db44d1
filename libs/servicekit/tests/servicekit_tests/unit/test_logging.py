from __future__ import annotations

import json
import logging

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider

from servicekit.logging import JsonFormatter
from servicekit.request_context import request_id_var
from servicekit.trace_context import within


def _record(msg: str, **extra: object) -> logging.LogRecord:
    record = logging.makeLogRecord({"name": "t", "levelname": "INFO", "msg": msg, "args": ()})
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_line_is_one_json_object_with_service_level_and_message() -> None:
    line = JsonFormatter("auth").format(_record("hello"))
    entry = json.loads(line)
    assert entry["service"] == "auth"
    assert entry["level"] == "info"
    assert entry["msg"] == "hello"
    assert "request_id" not in entry


def test_the_current_request_id_and_extra_fields_are_included() -> None:
    token = request_id_var.set("req-1")
    try:
        entry = json.loads(JsonFormatter("users").format(_record("x", route="/me", status=200)))
    finally:
        request_id_var.reset(token)
    assert entry["request_id"] == "req-1"
    assert (entry["route"], entry["status"]) == ("/me", 200)


def test_exceptions_are_rendered_into_the_entry() -> None:
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record = _record("failed")
        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter("auth").format(record))
    assert "ValueError: bad" in entry["exc"]


def test_a_line_written_in_a_span_carries_its_trace_and_span_ids() -> None:
    tracer = TracerProvider().get_tracer("test")  # a provider of its own: none is installed
    with tracer.start_as_current_span("work") as span:
        entry = json.loads(JsonFormatter("auth").format(_record("in a span")))
    context = span.get_span_context()
    assert entry["trace_id"] == format(context.trace_id, "032x")
    assert entry["span_id"] == format(context.span_id, "016x")


def test_a_line_written_outside_any_span_has_no_trace_fields() -> None:
    assert not trace.get_current_span().get_span_context().is_valid
    entry = json.loads(JsonFormatter("auth").format(_record("no span")))
    assert "trace_id" not in entry
    assert "span_id" not in entry


def test_a_line_about_an_ended_span_carries_its_ids() -> None:
    trace_id, span_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    with within(f"00-{trace_id}-{span_id}-01"):
        entry = json.loads(JsonFormatter("users").format(_record("published")))
    assert (entry["trace_id"], entry["span_id"]) == (trace_id, span_id)
    after = json.loads(JsonFormatter("users").format(_record("later")))
    assert "trace_id" not in after
