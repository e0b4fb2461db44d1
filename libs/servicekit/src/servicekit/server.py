"""Serve an ASGI app factory with uvicorn (uvloop + httptools)."""

from __future__ import annotations

import uvicorn


def serve(factory: str, *, host: str, port: int, workers: int, log_level: str) -> None:
    """Run `factory` ("module:function" returning the app) until SIGINT/SIGTERM."""
    uvicorn.run(
        factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_config=None,
        log_level=log_level.lower(),
        proxy_headers=False,
        timeout_graceful_shutdown=10,
    )
