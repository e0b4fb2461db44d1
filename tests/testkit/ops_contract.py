"""Tests every service must pass for /health, /ready, /metrics, JSON errors and
request ids. A service's test module imports them and provides the fixtures `client` (an
httpx client on the running app), `app_on(settings)`, which builds the app from
other settings (e.g. with unreachable dependencies), and `core_dependency`: the one
its core path needs, which alone decides readiness."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from testkit.tcp_proxy import TcpProxy

AppOn = Callable[[Any], FastAPI]


async def test_health_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_postgres_and_redis_answer(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": ["postgres", "redis"], "degraded": {}}


async def test_ready_fails_only_for_the_core_paths_dependency(
    settings: Any, app_on: AppOn, core_dependency: str
) -> None:
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
    assert set(body["failing"]) == {core_dependency}
    assert set(body["degraded"]) == {"postgres", "redis"} - {core_dependency}
    assert body["detail"] == f"unavailable: {core_dependency}"


@asynccontextmanager
async def _proxied(settings: Any) -> AsyncIterator[tuple[Any, dict[str, TcpProxy]]]:
    """`settings` with PostgreSQL and Redis reached through a cuttable proxy each."""
    database = make_url(settings.database_url.get_secret_value())
    redis = make_url(settings.redis_url.get_secret_value())
    proxies = {
        "postgres": TcpProxy(database.host or "127.0.0.1", database.port or 5432),
        "redis": TcpProxy(redis.host or "127.0.0.1", redis.port or 6379),
    }
    for proxy in proxies.values():
        await proxy.start()
    through = settings.model_copy(
        update={
            "database_url": SecretStr(
                database.set(host="127.0.0.1", port=proxies["postgres"].port).render_as_string(
                    hide_password=False
                )
            ),
            "redis_url": SecretStr(
                redis.set(host="127.0.0.1", port=proxies["redis"].port).render_as_string(
                    hide_password=False
                )
            ),
        }
    )
    try:
        yield through, proxies
    finally:
        for proxy in proxies.values():
            await proxy.stop()


async def _ready_again_within(client: httpx.AsyncClient, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if (await client.get("/ready")).status_code == 200:
            return time.monotonic() - started
        await asyncio.sleep(0.02)
    raise AssertionError(f"/ready not 200 within {seconds} s of the dependency's return")


async def test_ready_follows_its_dependencies_cut_and_restored(
    settings: Any, app_on: AppOn, core_dependency: str
) -> None:
    """A cut of the other dependency is reported as degraded (200); a cut of the core
    path's is 503; each recovers as soon as the dependency is back."""
    (other,) = {"postgres", "redis"} - {core_dependency}
    async with _proxied(settings) as (through, proxies):
        app = app_on(through)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                assert (await client.get("/ready")).status_code == 200

                await proxies[other].stop()
                degraded = await client.get("/ready")
                assert degraded.status_code == 200
                assert degraded.json()["status"] == "degraded"
                assert list(degraded.json()["degraded"]) == [other]
                await proxies[other].start()
                recovered = await _ready_again_within(client, 5.0)
                assert (await client.get("/ready")).json()["degraded"] == {}
                print(f"readiness: degraded -> ready after {other} returned: {recovered:.3f} s")

                await proxies[core_dependency].stop()
                down = await client.get("/ready")
                assert down.status_code == 503
                assert list(down.json()["failing"]) == [core_dependency]
                assert (await client.get("/health")).status_code == 200
                await proxies[core_dependency].start()
                recovered = await _ready_again_within(client, 5.0)
                print(f"readiness: 503 -> 200 after {core_dependency} returned: {recovered:.3f} s")
                assert recovered <= 1.0


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
