"""Prometheus metrics for HTTP traffic and rate limits, and the `/metrics` endpoint."""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response

RATE_LIMIT_DECISIONS = Counter(
    "rate_limit_decisions_total",
    "Rate limit decisions, by route, scope (ip, session, account, service) and decision:"
    " allow, deny (429), fail_open (the store did not answer: admitted unchecked).",
    ("route", "scope", "decision"),
)
"""Counted by `servicekit.rate_limiter`, in the default registry (served at `/metrics`)."""

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class HttpMetrics:
    """Request count and latency by method, route template and status."""

    def __init__(self, registry: CollectorRegistry = REGISTRY) -> None:
        self.registry = registry
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests served, by method, route template and status.",
            ("method", "route", "status"),
            registry=registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency, by method, route template and status.",
            ("method", "route", "status"),
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        labels = (method, route, str(status))
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)


_by_registry: dict[int, HttpMetrics] = {}


def http_metrics(registry: CollectorRegistry = REGISTRY) -> HttpMetrics:
    """The HttpMetrics of `registry`, created once (several apps may share a process)."""
    metrics = _by_registry.get(id(registry))
    if metrics is None:
        metrics = _by_registry[id(registry)] = HttpMetrics(registry)
    return metrics


def metrics_endpoint(registry: CollectorRegistry = REGISTRY):  # type: ignore[no-untyped-def]
    """A route handler that renders `registry` in the Prometheus text format."""

    async def metrics(_: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return metrics
