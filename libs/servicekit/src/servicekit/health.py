"""Liveness (`/health`) and readiness (`/ready`) endpoints.

Readiness means "this pod can serve its core path": only the dependencies that
path needs are `required`, and a failing one makes `/ready` 503 (the pod leaves
the load balancer). Every other dependency is `optional`: a failing one is
reported in the body as degraded, and `/ready` stays 200, so a blip of a
dependency the core path does not use never takes every pod out at once.
Liveness never checks a dependency.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from fastapi import APIRouter
from fastapi.responses import JSONResponse

ReadinessCheck = Callable[[], Awaitable[object]]

CHECK_TIMEOUT_SECONDS = 1.0
"""Per check; well under the probes' 2 s timeout, so a hanging optional dependency
cannot fail the probe by making `/ready` slow."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReadinessChecks:
    """What `/ready` probes, by name: `required` ones decide readiness, `optional`
    ones are only reported (as degraded) when they fail."""

    required: Mapping[str, ReadinessCheck]
    optional: Mapping[str, ReadinessCheck] = field(default_factory=dict)


async def _probe(name: str, check: ReadinessCheck, timeout: float) -> tuple[str, str | None]:
    try:
        await asyncio.wait_for(check(), timeout)
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        reason = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
        logger.warning("readiness check %s failed: %s", name, reason)
        return name, reason
    return name, None


async def _failures(checks: Mapping[str, ReadinessCheck], timeout: float) -> dict[str, str]:
    results = await asyncio.gather(
        *(_probe(name, check, timeout) for name, check in checks.items())
    )
    return {name: reason for name, reason in results if reason is not None}


def health_router(
    checks: Callable[[], ReadinessChecks], timeout: float = CHECK_TIMEOUT_SECONDS
) -> APIRouter:
    """`/health` always answers while the process serves; `/ready` runs every
    check concurrently: 503 naming each required dependency that failed, else 200,
    with the failing optional ones under `degraded`.

    `checks` is called per request so it can read clients created at startup.
    """
    router = APIRouter(tags=["ops"])

    @router.get("/health", summary="Liveness (checks no dependency)")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/ready",
        summary="Readiness: the dependencies of the core path answer",
        description=(
            "200 while every required dependency answers; an optional one that fails is "
            "listed under `degraded` (name → reason) without failing readiness."
        ),
        responses={503: {"description": "NOT_READY: a required dependency does not answer"}},
    )
    async def ready() -> JSONResponse:
        current = checks()
        failing, degraded = await asyncio.gather(
            _failures(current.required, timeout), _failures(current.optional, timeout)
        )
        if failing:
            body = {
                "code": "NOT_READY",
                "detail": "unavailable: " + ", ".join(sorted(failing)),
                "failing": failing,
                "degraded": degraded,
            }
            return JSONResponse(body, status_code=503)
        return JSONResponse(
            {
                "status": "degraded" if degraded else "ready",
                "checks": sorted([*current.required, *current.optional]),
                "degraded": degraded,
            }
        )

    return router
