"""/ready follows its dependencies down and back up, without restarting the app: a
required one fails readiness, an optional one is only reported as degraded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from servicekit.app import build_app
from servicekit.resources import Resources
from servicekit.settings import ServiceSettings
from testkit.servers import postgres_server, redis_server
from testkit.tcp_proxy import TcpProxy


@pytest.fixture
async def proxies() -> AsyncIterator[dict[str, tuple[TcpProxy, str]]]:
    """A cuttable proxy in front of PostgreSQL and of Redis, with the URL through each."""
    with postgres_server() as pg_admin, redis_server() as redis_url:
        pg, redis = make_url(pg_admin), make_url(redis_url)
        pg_proxy = TcpProxy(pg.host or "127.0.0.1", pg.port or 5432)
        redis_proxy = TcpProxy(redis.host or "127.0.0.1", redis.port or 6379)
        await pg_proxy.start()
        await redis_proxy.start()
        pg_url = pg.set(drivername="postgresql+asyncpg", host="127.0.0.1", port=pg_proxy.port)
        yield {
            "postgres": (pg_proxy, pg_url.render_as_string(hide_password=False)),
            "redis": (redis_proxy, f"redis://127.0.0.1:{redis_proxy.port}/0"),
        }
        await pg_proxy.stop()
        await redis_proxy.stop()


def app_behind(proxies: dict[str, tuple[TcpProxy, str]], required: str) -> FastAPI:
    settings = ServiceSettings(
        database_url=SecretStr(proxies["postgres"][1]),
        redis_url=SecretStr(proxies["redis"][1]),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.resources = Resources.open(settings)
        yield
        await app.state.resources.close()

    return build_app(
        service="test",
        title="probe",
        description="readiness probe",
        version="0",
        lifespan=lifespan,
        readiness=lambda app: app.state.resources.readiness(required=frozenset({required})),
    )


@pytest.mark.parametrize("dependency", ["postgres", "redis"])
async def test_a_required_dependency_down_is_503_naming_it_and_recovers(
    proxies: dict[str, tuple[TcpProxy, str]], dependency: str
) -> None:
    app = app_behind(proxies, required=dependency)
    proxy = proxies[dependency][0]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.get("/ready")).status_code == 200

            await proxy.stop()
            down = await client.get("/ready")
            assert down.status_code == 503
            assert down.json()["code"] == "NOT_READY"
            assert list(down.json()["failing"]) == [dependency]
            assert down.json()["degraded"] == {}
            assert down.json()["detail"] == f"unavailable: {dependency}"
            assert (await client.get("/health")).status_code == 200

            await proxy.start()
            back = await client.get("/ready")
            assert back.status_code == 200
            assert back.json()["status"] == "ready"


@pytest.mark.parametrize("dependency", ["postgres", "redis"])
async def test_an_optional_dependency_down_is_degraded_not_503(
    proxies: dict[str, tuple[TcpProxy, str]], dependency: str
) -> None:
    (other,) = {"postgres", "redis"} - {dependency}
    app = app_behind(proxies, required=other)
    proxy = proxies[dependency][0]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            await proxy.stop()
            degraded = await client.get("/ready")
            assert degraded.status_code == 200
            assert degraded.json()["status"] == "degraded"
            assert list(degraded.json()["degraded"]) == [dependency]

            await proxy.start()
            back = await client.get("/ready")
            assert back.json() == {
                "status": "ready",
                "checks": ["postgres", "redis"],
                "degraded": {},
            }
