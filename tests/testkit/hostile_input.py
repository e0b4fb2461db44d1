"""Hostile client input every service must refuse with a 4xx and no traceback:
tokens built to break a parser, and request bodies that are not JSON text."""

from __future__ import annotations

import base64
import logging

import pytest


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


DEPTH = 2_500
"""Far past the ~1,000 levels Python's JSON parser recurses before RecursionError."""

DEEP_HEADER_TOKEN = ".".join(
    (
        _b64(b'{"alg":"EdDSA","kid":"k","typ":"at+jwt","x":' + b"[" * DEPTH + b"]" * DEPTH + b"}"),
        _b64(b'{"sub":"x"}'),
        _b64(b"s" * 64),
    )
)
"""A compact JWS of ordinary size (under 8 KB) whose header nests `DEPTH` arrays deep."""

OVERSIZED_TOKEN = ".".join(("a" * 100_000, _b64(b"{}"), _b64(b"s" * 64)))
"""A 100 KB token."""

HOSTILE_TOKENS = pytest.mark.parametrize(
    "token", [DEEP_HEADER_TOKEN, OVERSIZED_TOKEN], ids=["deep-header", "100KB"]
)

NOT_UTF8_BODY = b'{"nickname": "\xff\xfe"}'
DEEP_BODY = b"[" * 100_000 + b"]" * 100_000
"""100,000 levels of JSON arrays."""

HOSTILE_BODIES = pytest.mark.parametrize(
    "body", [NOT_UTF8_BODY, DEEP_BODY], ids=["not-utf8", "100k-deep"]
)


def assert_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing logged with an exception, nothing at ERROR or above."""
    noisy = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert noisy == [], [r.getMessage() for r in noisy]
