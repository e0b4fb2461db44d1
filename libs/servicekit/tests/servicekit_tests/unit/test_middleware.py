from __future__ import annotations

import httpx
from fastapi import FastAPI
from prometheus_client import CollectorRegistry

from servicekit.metrics import http_metrics
from servicekit.middleware import ObservabilityMiddleware
from servicekit.request_context import current_request_id


def _app(registry: CollectorRegistry) -> FastAPI:
    app = FastAPI()
    app.add_middleware(
        ObservabilityMiddleware, metrics=http_metrics(registry), quiet_paths=frozenset()
    )

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> dict[str, str | None]:
        return {"request_id": current_request_id()}

    return app


async def test_request_id_is_visible_to_handlers_and_echoed() -> None:
    transport = httpx.ASGITransport(app=_app(CollectorRegistry()))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/items/1", headers={"X-Request-ID": "rid-7"})
    assert response.json() == {"request_id": "rid-7"}
    assert response.headers["x-request-id"] == "rid-7"


async def test_an_unusable_inbound_id_is_replaced() -> None:
    transport = httpx.ASGITransport(app=_app(CollectorRegistry()))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.get("/items/1", headers={"X-Request-ID": "x" * 500})
    assert len(response.headers["x-request-id"]) == 32


async def test_metrics_are_labelled_by_route_template_not_raw_path() -> None:
    registry = CollectorRegistry()
    transport = httpx.ASGITransport(app=_app(registry))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.get("/items/1")
        await client.get("/items/2")
        await client.get("/nowhere")
    labels = {"method": "GET", "route": "/items/{item_id}", "status": "200"}
    assert registry.get_sample_value("http_requests_total", labels) == 2
    assert (
        registry.get_sample_value(
            "http_requests_total", {"method": "GET", "route": "unmatched", "status": "404"}
        )
        == 1
    )
    assert registry.get_sample_value("http_request_duration_seconds_count", labels) == 2
