"""Assemble a FastAPI app with the plumbing every service has."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
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

OPS_PATHS = frozenset({"/health", "/ready", "/metrics"})


def build_app(
    *,
    title: str,
    description: str,
    version: str,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]],
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
    `fast_path` is answered ahead of all of it (see `servicekit.fast_path`)."""
    options: dict[str, Any] = {
        "title": title,
        "description": description,
        "version": version,
        "lifespan": lifespan,
        "openapi_tags": openapi_tags,
    }
    app = FastAPI(**options) if fast_path is None else FastPathApp(fast_path, **options)
    metrics = http_metrics(registry)
    app.add_middleware(
        ObservabilityMiddleware, metrics=metrics, quiet_paths=OPS_PATHS | quiet_paths
    )
    install_error_handlers(app, error_status)
    app.include_router(health_router(lambda: readiness(app)))
    app.add_route("/metrics", metrics_endpoint(registry), methods=["GET"], include_in_schema=False)
    install_openapi(app, openapi_paths or {})
    return app
