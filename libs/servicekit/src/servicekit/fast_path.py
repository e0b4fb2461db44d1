"""Answer one path prefix ahead of the app's middleware stack.

For an endpoint on the path of every request of the system (auth's `/validate`, which
the gateway calls before each API request): its cost must stay below that of the
cheapest FastAPI route, so it is an ASGI callable answered before routing, dependency
resolution and the general middleware. Of what `ObservabilityMiddleware` does, it keeps
the request id (in the log context and echoed in `X-Request-ID`); the handler counts
its own metrics, and no access log line is written (the handler's metrics are its log).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.middleware import REQUEST_ID_HEADER, request_id_of
from servicekit.request_context import request_id_var


class FastPath:
    """Sends HTTP requests for `prefix` or any path below it, whatever the method, to
    `handler`; everything else (other paths, lifespan, websockets) to `app`."""

    def __init__(self, app: ASGIApp, *, prefix: str, handler: ASGIApp) -> None:
        self.app = app
        self.handler = handler
        self.prefix = prefix
        self._below = prefix + "/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == self.prefix or path.startswith(self._below)):
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        echoed = (REQUEST_ID_HEADER, request_id.encode())
        token = request_id_var.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), echoed]
            await send(message)

        try:
            await self.handler(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)
