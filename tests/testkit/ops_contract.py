"""Tests every service must pass for /health, /ready, /metrics, JSON errors and
request ids. A service's test module imports them and provides two fixtures:
`client` (an httpx client on the running app) and `app_on(settings)`, which
builds the app from other settings (e.g. with unreachable dependencies)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

AppOn = Callable[[Any], FastAPI]


async def test_health_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_postgres_and_redis_answer(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": ["postgres", "redis"]}


async def test_ready_names_every_unreachable_dependency(settings: Any, app_on: AppOn) -> None:
    broken = settings.model_copy(
        update={
            "database_url": SecretStr("postgresql+asyncpg://postgres@127.0.0.1:1/none"),
            "redis_url": SecretStr("redis://127.0.0.1:1/0"),
        }
    )
    app = app_on(broken)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            response = await client.get("/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "NOT_READY"
    assert set(body["failing"]) == {"postgres", "redis"}
    assert body["detail"] == "unavailable: postgres, redis"


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/health")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'http_requests_total{method="GET",route="/health",status="200"}' in response.text
    assert "http_request_duration_seconds_bucket" in response.text


async def test_unknown_route_is_a_json_error_with_a_code(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/route")
    assert response.status_code == 404
    assert response.json() == {"code": "NOT_FOUND", "detail": "Not Found"}


async def test_every_error_response_is_documented_as_code_and_detail(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()
    error_schema = document["components"]["schemas"]["ErrorResponse"]
    assert set(error_schema["properties"]) == set(error_schema["required"]) == {"code", "detail"}
    assert "HTTPValidationError" not in document["components"]["schemas"]
    documented, offenders = [], []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if status[:1] not in {"4", "5"}:
                    continue
                where = f"{method.upper()} {path} {status}"
                documented.append(where)
                body = response.get("content", {}).get("application/json", {})
                if body.get("schema") != {"$ref": "#/components/schemas/ErrorResponse"}:
                    offenders.append(where)
    assert documented
    assert offenders == []


async def test_request_id_is_echoed_or_generated(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    generated = await client.get("/health")
    assert echoed.headers["x-request-id"] == "abc-123"
    assert len(generated.headers["x-request-id"]) == 32
