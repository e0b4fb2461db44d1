"""How a worker process runs: until SIGTERM/SIGINT, serving `/health`, `/ready` and
`/metrics` while it works."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Awaitable, Callable

from servicekit.health import ReadinessChecks
from servicekit.worker_http import WorkerHttpServer


async def run_worker(
    work: Callable[[], Awaitable[None]],
    stop: Callable[[], None],
    *,
    http_socket: socket.socket | None,
    readiness: Callable[[], ReadinessChecks],
) -> None:
    """Run ``work`` until it returns. SIGTERM and SIGINT call ``stop``, which must make
    ``work`` return after what is in progress. With ``http_socket`` (bound by
    `worker_http.bind_or_exit`; None: no endpoint) the health server answers from
    before ``work`` starts until after it ended, however it ended. The worker's own
    connections are the caller's to close once this returns."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop)
    http = None
    if http_socket is not None:
        http = WorkerHttpServer(http_socket, readiness)
        await http.start()
    try:
        await work()
    finally:
        if http is not None:
            await http.stop()
