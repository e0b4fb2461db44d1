"""Answer one path prefix ahead of everything FastAPI and Starlette do.

For an endpoint on the path of every request of the system (auth's `/validate`, which
the gateway calls before each API request): its cost must stay below that of the
cheapest FastAPI route, so a bare ASGI handler answers it before FastAPI's telemetry
check, the middleware stack, routing and dependency resolution. Of what those layers
do, it keeps what such an endpoint needs: the request id (an acceptable inbound
`X-Request-ID`, else a new one; in the log context and echoed back) and the
translation of an unexpected error into a logged 500 `INTERNAL_ERROR`. The handler
counts its own metrics (not `http_requests_total`), and no access log line is written.
With tracing on, the app answers it through `TracedFastPath` instead (a server span
per request); with tracing off nothing of tracing is on its path.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI
from opentelemetry.util.types import AttributeValue
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.errors import error_body
from servicekit.middleware import REQUEST_ID_HEADER, request_id_of
from servicekit.request_context import request_id_var

logger = logging.getLogger(__name__)

_INTERNAL_ERROR = json.dumps(
    error_body("INTERNAL_ERROR", "An unexpected error occurred."), separators=(",", ":")
).encode()


SpanAttributes = Callable[[Scope, Message], Mapping[str, AttributeValue]]
"""What a traced answer's span says beyond HTTP, from the request's scope and the
response's `http.response.start` message (called only when tracing is on)."""


class FastPath:
    """`handler` answers HTTP requests for `prefix` or any path below it, whatever the
    method; `span_attributes` adds to each request's span when tracing is on."""

    def __init__(
        self, prefix: str, handler: ASGIApp, *, span_attributes: SpanAttributes | None = None
    ) -> None:
        self.prefix = prefix
        self.handler = handler
        self.span_attributes = span_attributes
        self._below = prefix + "/"

    def matches(self, scope: Scope) -> bool:
        if scope["type"] != "http":
            return False
        path: str = scope["path"]
        return path == self.prefix or path.startswith(self._below)

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = request_id_of(scope)
        echoed = (REQUEST_ID_HEADER, request_id.encode())
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", ()), echoed]
            await send(message)

        token = request_id_var.set(request_id)
        try:
            await self.handler(scope, receive, send_with_id)
        except Exception as exc:
            logger.exception("unhandled error", exc_info=exc)
            if started:
                raise  # the server closes the connection: the response is half sent
            await send_with_id(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(_INTERNAL_ERROR)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": _INTERNAL_ERROR})
        finally:
            request_id_var.reset(token)


class FastPathApp(FastAPI):
    """A FastAPI app whose `fast_path` requests never reach FastAPI."""

    def __init__(self, fast_path: FastPath, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fast_path = fast_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.fast_path.matches(scope):
            scope["app"] = self  # as Starlette sets it: handlers reach `app.state` through it
            await self.fast_path.answer(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)
