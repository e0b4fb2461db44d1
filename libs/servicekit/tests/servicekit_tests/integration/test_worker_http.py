"""A worker's /health, /ready and /metrics on a real loopback socket; bind errors name
the variable to change."""

from __future__ import annotations

import asyncio
import signal
import socket

import httpx
import pytest
from prometheus_client import CollectorRegistry, Counter

from servicekit.health import ReadinessChecks
from servicekit.worker_http import WorkerHttpPortError, WorkerHttpServer, bind

VARIABLES = {"host_variable": "X_RELAY__METRICS_HOST", "port_variable": "X_RELAY__METRICS_PORT"}


async def test_serves_health_ready_and_metrics_and_leaves_signals_to_the_worker() -> None:
    registry = CollectorRegistry()
    Counter("x_relay_applied_total", "Applied.", registry=registry).inc()
    healthy = True

    async def dependency() -> None:
        if not healthy:
            raise ConnectionError("down")

    server = WorkerHttpServer(
        bind("127.0.0.1", 0, **VARIABLES),
        lambda: ReadinessChecks(required={"redis": dependency}),
        registry=registry,
    )
    handler_before = signal.getsignal(signal.SIGTERM)
    await server.start()
    host, port = server.address
    try:
        async with httpx.AsyncClient(base_url=f"http://{host}:{port}", timeout=5) as client:
            health = await client.get("/health")
            ready = await client.get("/ready")
            healthy = False
            not_ready = await client.get("/ready")
            metrics = await client.get("/metrics")
            assert signal.getsignal(signal.SIGTERM) is handler_before
    finally:
        await server.stop()
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200
    assert not_ready.status_code == 503
    assert not_ready.json()["failing"] == {"redis": "ConnectionError"}
    assert "x_relay_applied_total 1.0" in metrics.text
    with pytest.raises(httpx.TransportError):
        async with httpx.AsyncClient(timeout=1) as client:
            await client.get(f"http://{host}:{port}/health")


def test_a_taken_port_names_the_port_variable() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(WorkerHttpPortError) as error:
            bind("127.0.0.1", port, **VARIABLES)
    assert str(error.value).startswith(f"X_RELAY__METRICS_PORT={port}: ")
    assert "already in use" in str(error.value)
    assert "\n" not in str(error.value)


def test_an_address_of_no_interface_names_both_variables() -> None:
    with pytest.raises(WorkerHttpPortError) as error:
        bind("192.0.2.1", 0, **VARIABLES)  # TEST-NET-1: on no interface here
    assert "X_RELAY__METRICS_HOST=192.0.2.1" in str(error.value)
    assert "X_RELAY__METRICS_PORT=0" in str(error.value)


async def test_stop_releases_the_port() -> None:
    server = WorkerHttpServer(
        bind("127.0.0.1", 0, **VARIABLES), lambda: ReadinessChecks(required={})
    )
    await server.start()
    _, port = server.address
    await server.stop()
    await asyncio.sleep(0)
    bind("127.0.0.1", port, **VARIABLES).close()
