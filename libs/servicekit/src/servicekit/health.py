"""Liveness (`/health`) and readiness (`/ready`) endpoints."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter
from fastapi.responses import JSONResponse

ReadinessCheck = Callable[[], Awaitable[object]]

logger = logging.getLogger(__name__)


async def _probe(name: str, check: ReadinessCheck, timeout: float) -> tuple[str, str | None]:
    try:
        await asyncio.wait_for(check(), timeout)
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        reason = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
        logger.warning("readiness check %s failed: %s", name, reason)
        return name, reason
    return name, None


def health_router(
    checks: Callable[[], Mapping[str, ReadinessCheck]], timeout: float = 2.0
) -> APIRouter:
    """`/health` always answers while the process serves; `/ready` runs every
    check concurrently and answers 503 naming each dependency that failed.

    `checks` is called per request so it can read clients created at startup.
    """
    router = APIRouter(tags=["ops"])

    @router.get("/health", summary="Liveness")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/ready",
        summary="Readiness: every dependency reachable",
        responses={503: {"description": "A dependency is unreachable"}},
    )
    async def ready() -> JSONResponse:
        results = await asyncio.gather(
            *(_probe(name, check, timeout) for name, check in checks().items())
        )
        failing = {name: reason for name, reason in results if reason is not None}
        if failing:
            detail = "unavailable: " + ", ".join(sorted(failing))
            body = {"code": "NOT_READY", "detail": detail, "failing": failing}
            return JSONResponse(body, status_code=503)
        return JSONResponse({"status": "ready", "checks": [name for name, _ in results]})

    return router
