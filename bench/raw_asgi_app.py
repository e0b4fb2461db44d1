"""The raw ASGI ceiling: an ASGI callable that answers every request with an empty 200.

Nothing can answer faster on this stack (uvicorn, uvloop, httptools), so a route's
figures divided by this one's say how much of the server's limit it reaches.
"""

from __future__ import annotations

from typing import Any

_START = {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"0")]}
_BODY = {"type": "http.response.body", "body": b""}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send(_START)
    await send(_BODY)


def create_app() -> Any:
    """For `uvicorn --factory` (the benchmarks start every server the same way)."""
    return app
