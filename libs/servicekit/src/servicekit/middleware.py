"""One pure-ASGI middleware for every request: request id, metrics, access log.

Pure ASGI (not BaseHTTPMiddleware) because it is on the path of every request: it
adds one contextvar set, one clock read and two metric updates. (auth's `/validate`
does not pass through it: see `servicekit.fast_path`.)
"""

from __future__ import annotations

import logging
import secrets
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.metrics import HttpMetrics
from servicekit.request_context import request_id_var

REQUEST_ID_HEADER = b"x-request-id"
_MAX_INBOUND_ID = 128
_access_log = logging.getLogger("access")


class ObservabilityMiddleware:
    """Assigns a request id (inbound `X-Request-ID` or a new one), echoes it,
    records metrics by route template and writes one access log line."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics, quiet_paths: frozenset[str]) -> None:
        self.app = app
        self.metrics = metrics
        self.quiet_paths = quiet_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        token = request_id_var.set(request_id)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            self.metrics.observe(scope["method"], template, status, elapsed)
            if scope["path"] not in self.quiet_paths:
                _access_log.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={"route": template, "status": status, "ms": round(elapsed * 1000, 2)},
                )
            request_id_var.reset(token)


def request_id_of(scope: Scope) -> str:
    """The request's id: its `X-Request-ID` when printable and at most 128 characters,
    else a new one (128 random bits in 32 hex digits: a fifth of `uuid4().hex`'s cost)."""
    return _inbound_request_id(scope) or secrets.token_hex(16)


def _inbound_request_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            candidate: str = value.decode("latin-1")
            if 0 < len(candidate) <= _MAX_INBOUND_ID and candidate.isprintable():
                return candidate
            return None
    return None
