"""With tracing on, the fast path (answered ahead of FastAPI and its instrumentation)
still makes a server span per request, in the caller's trace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from prometheus_client import CollectorRegistry
from starlette.types import Message, Receive, Scope, Send

from servicekit.app import build_app
from servicekit.fast_path import FastPath
from servicekit.health import ReadinessChecks
from servicekit.traced_fast_path import TracedFastPath
from servicekit.tracing import install_tracing

EXPORTER = InMemorySpanExporter()
install_tracing("test", SimpleSpanProcessor(EXPORTER))

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"


async def check(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["path"].endswith("/boom"):
        raise RuntimeError("a bug")
    status = 200 if scope["path"] == "/check" else 401
    await send({"type": "http.response.start", "status": status, "headers": [(b"x-why", b"ok")]})
    await send({"type": "http.response.body", "body": b""})


def describe(scope: Scope, response: Message) -> dict[str, str]:
    why = dict(response["headers"]).get(b"x-why", b"-").decode()
    return {"check.why": why, "check.path_length": str(len(scope["path"]))}


@asynccontextmanager
async def no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


@pytest.fixture
def spans() -> InMemorySpanExporter:
    EXPORTER.clear()
    return EXPORTER


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(
        service="test",
        title="fast",
        description="",
        version="1",
        lifespan=no_lifespan,
        readiness=lambda _: ReadinessChecks(required={}),
        registry=CollectorRegistry(),
        fast_path=FastPath("/check", check, span_attributes=describe),
    )
    assert isinstance(app.fast_path, TracedFastPath)  # type: ignore[attr-defined]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        yield http


async def test_a_request_is_a_server_span_in_the_callers_trace(
    client: httpx.AsyncClient, spans: InMemorySpanExporter
) -> None:
    response = await client.get("/check", headers={"traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01"})
    assert response.status_code == 200

    [span] = spans.get_finished_spans()
    assert (span.name, span.kind) == ("GET /check", SpanKind.SERVER)
    assert format(span.context.trace_id, "032x") == TRACE_ID
    assert span.parent is not None
    assert format(span.parent.span_id, "016x") == PARENT_ID
    assert dict(span.attributes or {}) == {
        "http.request.method": "GET",
        "url.path": "/check",
        "http.route": "/check",
        "http.response.status_code": 200,
        "check.why": "ok",
        "check.path_length": "6",
    }
    assert span.status.status_code is StatusCode.UNSET


async def test_without_a_traceparent_the_request_starts_a_trace(
    client: httpx.AsyncClient, spans: InMemorySpanExporter
) -> None:
    assert (await client.post("/check/api/v1/users/me")).status_code == 401
    [span] = spans.get_finished_spans()
    assert span.parent is None
    assert span.name == "POST /check"
    assert span.attributes is not None
    assert span.attributes["url.path"] == "/check/api/v1/users/me"
    assert span.attributes["http.response.status_code"] == 401


async def test_a_bug_is_a_500_and_an_error_span(
    client: httpx.AsyncClient, spans: InMemorySpanExporter
) -> None:
    assert (await client.get("/check/boom")).status_code == 500
    [span] = spans.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes is not None
    assert span.attributes["http.response.status_code"] == 500
    assert span.attributes["check.why"] == "-"
