"""Assemble a FastAPI app with the plumbing every service has."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from prometheus_client import REGISTRY, CollectorRegistry

from kernel.errors import AppError
from servicekit.errors import install_error_handlers
from servicekit.fast_path import FastPath, FastPathApp
from servicekit.health import ReadinessChecks, health_router
from servicekit.metrics import http_metrics, metrics_endpoint
from servicekit.middleware import ObservabilityMiddleware
from servicekit.openapi import install_openapi
from servicekit.traced_fast_path import TracedFastPath
from servicekit.tracing import Tracing, configure_tracing

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]

OPS_PATHS = frozenset({"/health", "/ready", "/metrics"})


def build_app(
    *,
    service: str,
    title: str,
    description: str,
    version: str,
    lifespan: Lifespan,
    readiness: Callable[[FastAPI], ReadinessChecks],
    error_status: Mapping[type[AppError], int] | None = None,
    quiet_paths: frozenset[str] = frozenset(),
    registry: CollectorRegistry = REGISTRY,
    openapi_tags: list[dict[str, str]] | None = None,
    openapi_paths: Mapping[str, Mapping[str, Any]] | None = None,
    fast_path: FastPath | None = None,
) -> FastAPI:
    """A FastAPI app with request ids, metrics, JSON errors, `/health`, `/ready`
    (running `readiness(app)`'s required and optional checks) and `/metrics`.
    Routers are added by the caller.

    The OpenAPI document describes every error response as `{code, detail}` and
    adds `openapi_paths` (path items of routes FastAPI does not document). A
    `fast_path` is answered ahead of all of it (see `servicekit.fast_path`).

    When the `OTEL_*` variables ask for traces (`servicekit.tracing`, `service` the
    default service name), every request but `/health`, `/ready` and `/metrics` has a
    server span, the fast path's included, and the spans are exported when the app
    shuts down."""
    tracing = configure_tracing(service)
    options: dict[str, Any] = {
        "title": title,
        "description": description,
        "version": version,
        "lifespan": lifespan if tracing is None else _flushing(lifespan, tracing),
        "openapi_tags": openapi_tags,
    }
    if fast_path is not None and tracing is not None:
        fast_path = TracedFastPath(fast_path, tracing.provider)
    app = FastAPI(**options) if fast_path is None else FastPathApp(fast_path, **options)
    metrics = http_metrics(registry)
    app.add_middleware(
        ObservabilityMiddleware, metrics=metrics, quiet_paths=OPS_PATHS | quiet_paths
    )
    install_error_handlers(app, error_status)
    app.include_router(health_router(lambda: readiness(app)))
    app.add_route("/metrics", metrics_endpoint(registry), methods=["GET"], include_in_schema=False)
    install_openapi(app, openapi_paths or {})
    if tracing is not None:
        tracing.instrument_app(app, excluded_paths=OPS_PATHS)
    return app


def _flushing(lifespan: Lifespan, tracing: Tracing) -> Lifespan:
    """`lifespan`, then the export of the spans still waiting in the batch."""

    @asynccontextmanager
    async def flushing(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with lifespan(app):
                yield
        finally:
            await asyncio.to_thread(tracing.flush)

    return flushing
