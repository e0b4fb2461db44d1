from __future__ import annotations

import json
import logging

from servicekit.logging import JsonFormatter
from servicekit.request_context import request_id_var


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
