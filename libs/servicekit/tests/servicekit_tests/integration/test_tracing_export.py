"""Tracing installed from the variables exports OTLP over HTTP to a collector.

The collector is a local HTTP sink that keeps every request; OTLP's protobuf keeps
strings as they are, so a span's name and the service name are read in the body.
The batch waits a minute (`OTEL_BSP_SCHEDULE_DELAY`): what reaches the sink was
exported by a flush or a shutdown.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry import trace
from prometheus_client import CollectorRegistry

from servicekit.app import build_app
from servicekit.health import ReadinessChecks
from servicekit.tracing import configure_tracing, process_tracing


@dataclass
class Sink:
    url: str
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)

    def bodies(self) -> bytes:
        return b"".join(body for _, _, body in self.requests)


@pytest.fixture(scope="module")
def sink() -> Iterator[Sink]:
    """The collector, and the variables that point the process's tracing at it (read
    once, when the first test installs it)."""
    received: list[tuple[str, str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, self.headers["Content-Type"], body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with pytest.MonkeyPatch.context() as variables:
            variables.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", url)
            variables.setenv("OTEL_BSP_SCHEDULE_DELAY", "60000")
            variables.delenv("OTEL_SERVICE_NAME", raising=False)
            variables.delenv("OTEL_RESOURCE_ATTRIBUTES", raising=False)
            yield Sink(url, received)
    finally:
        server.shutdown()
        server.server_close()


@asynccontextmanager
async def no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


async def test_an_apps_spans_reach_the_collector_when_it_shuts_down(sink: Sink) -> None:
    app = build_app(
        service="svc-export",
        title="export",
        description="",
        version="1",
        lifespan=no_lifespan,
        readiness=lambda _: ReadinessChecks(required={}),
        registry=CollectorRegistry(),
    )

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    tracing = configure_tracing("another-name")  # the first installation stays
    assert tracing is not None
    assert trace.get_tracer_provider() is tracing.provider
    tracer = trace.get_tracer("test")
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
            assert (await client.get("http://t/hello?code=s3cr3t&state=")).status_code == 200
            assert (await client.get("http://t/health")).status_code == 200
        with (
            tracer.start_as_current_span("caused-work"),
            tracer.start_as_current_span("caused-call", kind=trace.SpanKind.CLIENT),
        ):
            pass
        with tracer.start_as_current_span("orphan-call", kind=trace.SpanKind.CLIENT):
            pass
        assert sink.requests == []  # the batch waits

    [(path, content_type, _)] = sink.requests
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    exported = sink.bodies()
    assert b"svc-export" in exported
    assert b"another-name" not in exported
    assert b"GET /hello" in exported
    assert b"http://t/hello?code=REDACTED&state=REDACTED" in exported
    assert b"s3cr3t" not in exported
    assert b"/health" not in exported  # probes are not traced
    assert b"caused-work" in exported
    assert b"caused-call" in exported
    assert b"orphan-call" not in exported


def test_a_workers_spans_reach_the_collector_when_its_block_ends(sink: Sink) -> None:
    before = len(sink.requests)
    with process_tracing("svc-worker") as tracing:
        assert tracing is not None
        with trace.get_tracer("test").start_as_current_span("worker-step"):
            pass
        assert len(sink.requests) == before
    assert b"worker-step" in sink.bodies()
