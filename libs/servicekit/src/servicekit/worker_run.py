"""How a worker process runs: until SIGTERM/SIGINT, serving `/health`, `/ready` and
`/metrics` while it works."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol

from servicekit.health import ReadinessChecks
from servicekit.tracing import process_tracing
from servicekit.worker_http import WorkerHttpServer, bind_or_exit


class MetricsEndpointSettings(Protocol):
    """A worker's settings section naming its `/metrics` address (port 0: none)."""

    @property
    def metrics_host(self) -> str: ...

    @property
    def metrics_port(self) -> int: ...


def start_worker(
    program: str,
    endpoint: MetricsEndpointSettings,
    variables: str,
    serve: Callable[[socket.socket | None], Coroutine[Any, Any, None]],
) -> None:
    """A worker's `main` once its logging is configured: bind its endpoint (a taken
    address exits with a line naming `<variables>_HOST` / `<variables>_PORT`), then
    run ``serve(socket)`` on a new event loop under the process's tracing (`OTEL_*`).

    :raises SystemExit: the endpoint's address cannot be bound.
    """
    http_socket = bind_or_exit(
        program,
        endpoint.metrics_host,
        endpoint.metrics_port,
        host_variable=f"{variables}_HOST",
        port_variable=f"{variables}_PORT",
    )
    with process_tracing(program):
        asyncio.run(serve(http_socket))


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
