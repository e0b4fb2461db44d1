"""FastPath: one path prefix answered ahead of FastAPI, with a request id and a logged 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from starlette.types import Receive, Scope, Send

from servicekit.app import build_app
from servicekit.fast_path import FastPath
from servicekit.health import ReadinessChecks
from servicekit.request_context import current_request_id

PREFIX = "/check"


async def check(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with what it saw: the method, the path, the request id and whose app it is."""
    if scope["path"] == f"{PREFIX}/boom":
        raise RuntimeError("a bug")
    seen = f"{scope['method']} {scope['path']} {current_request_id()} {scope['app'].title}"
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"x-seen", seen.encode()), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})


@asynccontextmanager
async def no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
async def client(registry: CollectorRegistry) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(
        service="test",
        title="fast",
        description="",
        version="1",
        lifespan=no_lifespan,
        readiness=lambda _: ReadinessChecks(required={}),
        registry=registry,
        fast_path=FastPath(PREFIX, check),
    )

    @app.get(f"{PREFIX}x")
    async def beside() -> dict[str, str]:
        return {"reached": "app"}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield http


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "DELETE", "PATCH", "PROPFIND"])
@pytest.mark.parametrize("path", [PREFIX, f"{PREFIX}/", f"{PREFIX}/api/v1/users/me"])
async def test_the_prefix_and_every_path_below_it_reach_the_handler_for_any_method(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, headers={"X-Request-ID": "rid-1"})
    assert response.status_code == 200
    assert response.headers["x-seen"] == f"{method} {path} rid-1 fast"
    assert response.headers["x-request-id"] == "rid-1"


async def test_other_paths_reach_the_app(client: httpx.AsyncClient) -> None:
    beside = await client.get(f"{PREFIX}x")
    assert (beside.status_code, beside.json()) == (200, {"reached": "app"})
    health = await client.get("/health")
    assert (health.status_code, health.json()["status"]) == (200, "ok")
    assert "x-seen" not in health.headers


async def test_a_request_without_a_usable_id_gets_a_new_one(client: httpx.AsyncClient) -> None:
    response = await client.get(PREFIX, headers={"X-Request-ID": "x" * 500})
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 32
    assert response.headers["x-seen"] == f"GET {PREFIX} {request_id} fast"


async def test_the_handler_is_not_counted_in_the_http_metrics(
    client: httpx.AsyncClient, registry: CollectorRegistry
) -> None:
    await client.get(PREFIX)
    await client.get("/health")
    assert (
        registry.get_sample_value(
            "http_requests_total", {"method": "GET", "route": "/health", "status": "200"}
        )
        == 1
    )
    routes = {
        sample.labels["route"]
        for metric in registry.collect()
        if metric.name == "http_requests"
        for sample in metric.samples
    }
    assert routes == {"/health"}


async def test_a_bug_in_the_handler_is_a_logged_500_with_code(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await client.post(f"{PREFIX}/boom", headers={"X-Request-ID": "rid-9"})
    assert response.status_code == 500
    assert response.json() == {"code": "INTERNAL_ERROR", "detail": "An unexpected error occurred."}
    assert response.headers["x-request-id"] == "rid-9"
    [logged] = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert str(logged) == "a bug"
