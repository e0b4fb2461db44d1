"""Serve ASGI apps with uvicorn on free local ports, inside the test's event loop."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.types import ASGIApp


@asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """Yield the base URL of a real HTTP server running ``app``; stop it after."""
    async with serve_all(app) as (url,):
        yield url


@asynccontextmanager
async def serve_all(*apps: ASGIApp) -> AsyncIterator[tuple[str, ...]]:
    """Yield the base URLs of real HTTP servers running ``apps``, in order; stop them
    all after, at once (a uvicorn server takes a few tenths of a second to stop)."""
    servers: list[tuple[uvicorn.Server, asyncio.Task[None], socket.socket]] = []
    try:
        for app in apps:
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            server = uvicorn.Server(
                uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
            )
            servers.append((server, asyncio.create_task(server.serve(sockets=[sock])), sock))
        for server, task, _ in servers:
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
        yield tuple(f"http://127.0.0.1:{sock.getsockname()[1]}" for _, _, sock in servers)
    finally:
        for server, _, _ in servers:
            server.should_exit = True
        stopped = await asyncio.gather(*(task for _, task, _ in servers), return_exceptions=True)
        for _, _, sock in servers:
            sock.close()
        for outcome in stopped:
            if isinstance(outcome, BaseException):
                raise outcome
