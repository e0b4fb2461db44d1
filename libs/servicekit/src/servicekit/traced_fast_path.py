"""The fast path with a server span per request, when tracing is on.

The fast path is answered ahead of FastAPI, so FastAPI's instrumentation never sees
it; the app answers it through this subclass instead, chosen once when the app is
built (`servicekit.app.build_app`), so tracing off leaves the fast path as it was.
"""

from __future__ import annotations

from opentelemetry.propagate import extract
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import SpanKind, StatusCode, TracerProvider
from starlette.types import Message, Receive, Scope, Send

from servicekit.fast_path import FastPath


class _ScopeHeaders(Getter[Scope]):
    """Reads propagation headers (`traceparent`, …) straight from an ASGI scope."""

    def get(self, carrier: Scope, key: str) -> list[str] | None:
        name = key.lower().encode("latin-1")
        values = [value.decode("latin-1") for header, value in carrier["headers"] if header == name]
        return values or None

    def keys(self, carrier: Scope) -> list[str]:
        return [header.decode("latin-1") for header, _ in carrier["headers"]]


_HEADERS = _ScopeHeaders()


class TracedFastPath(FastPath):
    """Answers as `fast_path` does, each request in a server span (sampled like any
    other): a child of the caller's span when the request carries one (the
    propagators of `OTEL_PROPAGATORS`, W3C `traceparent` by default), named
    `<method> <prefix>`, with the HTTP method, path, route and response status, and
    the fast path's own `span_attributes`. A 5xx marks the span as an error."""

    def __init__(self, fast_path: FastPath, provider: TracerProvider) -> None:
        super().__init__(
            fast_path.prefix, fast_path.handler, span_attributes=fast_path.span_attributes
        )
        self._tracer = provider.get_tracer(__name__)

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope["method"]
        with self._tracer.start_as_current_span(
            f"{method} {self.prefix}",
            context=extract(scope, getter=_HEADERS),
            kind=SpanKind.SERVER,
            attributes={
                "http.request.method": method,
                "url.path": scope["path"],
                "http.route": self.prefix,
            },
        ) as span:

            async def send_recorded(message: Message) -> None:
                if message["type"] == "http.response.start" and span.is_recording():
                    status: int = message["status"]
                    attributes = (
                        {} if self.span_attributes is None else self.span_attributes(scope, message)
                    )
                    span.set_attributes({"http.response.status_code": status, **attributes})
                    if status >= 500:
                        span.set_status(StatusCode.ERROR)
                await send(message)

            await super().answer(scope, receive, send_recorded)
