"""The ceiling of this stack: a bare ASGI callable answering every request with an empty 200.

Served by uvicorn like the apps under test (`uvicorn raw_asgi_app:app`), it measures what
uvicorn, uvloop and httptools cost alone; nothing served through them can be faster.
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
