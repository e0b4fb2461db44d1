"""`/health`, `/ready` and `/metrics` of a worker process (a relay), on its own host:port.

The server runs uvicorn inside the worker's own event loop, so `/health` answers
exactly while that loop turns: a worker stuck in a blocking call stops answering
and its liveness probe restarts it. `/ready` runs the worker's dependency checks
(the same route as the services', `servicekit.health`).

The port is bound before anything else starts, so a taken port stops the worker at
once with `WorkerHttpPortError`, whose message names the setting to change.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
from collections.abc import Callable, Iterator

import uvicorn
from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry

from servicekit.health import ReadinessChecks, health_router
from servicekit.metrics import metrics_endpoint


class WorkerHttpPortError(RuntimeError):
    """The worker's health/metrics address cannot be bound (message names the variable)."""


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves SIGTERM/SIGINT to the worker that embeds it
    (uvicorn's own handlers would replace the worker's and re-raise the signal)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind(host: str, port: int, *, host_variable: str, port_variable: str) -> socket.socket:
    """A listening TCP socket on host:port.

    :raises WorkerHttpPortError: the port is taken, or the address cannot be bound;
        the one-line message names the variable to change (e.g. `AUTH_RELAY__METRICS_PORT`).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(64)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            message = (
                f"{port_variable}={port}: {host}:{port} is already in use;"
                " choose a free port (0 disables the endpoint)"
            )
        else:
            message = (
                f"{host_variable}={host}, {port_variable}={port}: cannot listen there"
                f" ({exc.strerror or exc})"
            )
        raise WorkerHttpPortError(message) from None
    return sock


def bind_or_exit(
    program: str, host: str, port: int, *, host_variable: str, port_variable: str
) -> socket.socket | None:
    """`bind` for a worker's `main`: None when `port` is 0 (no endpoint); a taken or
    unbindable address exits with one line `<program>: <what to change>`, no traceback.

    :raises SystemExit: the address cannot be bound.
    """
    if not port:
        return None
    try:
        return bind(host, port, host_variable=host_variable, port_variable=port_variable)
    except WorkerHttpPortError as exc:
        raise SystemExit(f"{program}: {exc}") from None


class WorkerHttpServer:
    """Serves `/health`, `/ready` (running `checks()`) and `/metrics` (`registry`)
    on an already bound socket, as a task of the running event loop."""

    def __init__(
        self,
        sock: socket.socket,
        checks: Callable[[], ReadinessChecks],
        *,
        registry: CollectorRegistry = REGISTRY,
    ) -> None:
        app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
        app.include_router(health_router(checks))
        app.add_route("/metrics", metrics_endpoint(registry), methods=["GET"])
        config = uvicorn.Config(
            app, lifespan="off", access_log=False, log_config=None, log_level="warning"
        )
        self._server = _EmbeddedServer(config)
        self._sock = sock
        self._task: asyncio.Task[None] | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._sock.getsockname()[:2]
        return host, port

    async def start(self) -> None:
        """Serve in the background; returns once the socket accepts requests."""
        self._task = asyncio.create_task(self._server.serve(sockets=[self._sock]))
        while not self._server.started and not self._task.done():
            await asyncio.sleep(0.01)
        if self._task.done():
            self._task.result()  # re-raise what stopped it

    async def stop(self) -> None:
        if self._task is None:
            return
        self._server.should_exit = True
        await self._task
        self._sock.close()
