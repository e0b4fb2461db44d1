"""Translate errors into JSON `{"code", "detail"}` responses with the right status.

One table maps each kernel error family to a status; the most specific class in
an exception's MRO wins, so services register only the exceptions that need a
status other than their family's. An error of the database or Redis client that
means the server is unreachable is a 503 ``DEPENDENCY_UNAVAILABLE`` (see
`servicekit.dependency_faults`); any other unexpected error is a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kernel.error_chain import describe_error
from kernel.errors import (
    AppError,
    AuthenticationError,
    ConflictError,
    DependencyUnavailableError,
    DomainError,
    NotFoundError,
    RateLimitedError,
    ValidationError,
)
from servicekit.dependency_faults import DRIVER_ERRORS, is_dependency_fault

logger = logging.getLogger(__name__)

FAMILY_STATUS: Mapping[type[AppError], int] = {
    AppError: 500,
    DomainError: 409,
    ValidationError: 422,
    NotFoundError: 404,
    ConflictError: 409,
    AuthenticationError: 401,
    DependencyUnavailableError: 503,
    RateLimitedError: 429,
}

_HTTP_CODES = {
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    422: "REQUEST_INVALID",
    429: "TOO_MANY_REQUESTS",
}


_BODY_UNREADABLE = "The request body is not valid JSON: it must be UTF-8 and not deeply nested."


def error_body(code: str, detail: str) -> dict[str, str]:
    return {"code": code, "detail": detail}


def rate_limit_headers(error: RateLimitedError) -> dict[str, str]:
    """`Retry-After` (RFC 9110) and the `RateLimit-Limit`, `RateLimit-Remaining` and
    `RateLimit-Reset` fields of the IETF draft (delta seconds) of a refused request."""
    seconds = str(error.retry_after)
    return {
        "Retry-After": seconds,
        "RateLimit-Limit": str(error.limit),
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": seconds,
    }


def status_for(error: AppError, overrides: Mapping[type[AppError], int] | None = None) -> int:
    """The status of the most specific class of `error` found in the tables."""
    table = {**FAMILY_STATUS, **(overrides or {})}
    for cls in type(error).__mro__:
        if cls in table:
            return table[cls]
    return 500


def install_error_handlers(
    app: FastAPI, overrides: Mapping[type[AppError], int] | None = None
) -> None:
    """Register the translators on `app`."""

    async def on_app_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        status = status_for(exc, overrides)
        if status >= 500:
            logger.warning("request failed: %s", exc.code, extra={"code": exc.code})
        headers: dict[str, str] | None = None
        if status == 401:
            headers = {"WWW-Authenticate": "Bearer"}
        elif isinstance(exc, RateLimitedError):
            headers = rate_limit_headers(exc)
        return JSONResponse(error_body(exc.code, exc.detail), status_code=status, headers=headers)

    async def on_request_invalid(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', '')}"
            for err in exc.errors()
        )
        return JSONResponse(error_body("REQUEST_INVALID", problems), status_code=422)

    async def on_http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400 and exc.__cause__ is not None:
            # FastAPI's "error parsing the body": not UTF-8, or JSON nested past the
            # parser's recursion limit. The client's input, so a 422 like any other.
            return JSONResponse(error_body("REQUEST_INVALID", _BODY_UNREADABLE), status_code=422)
        code = _HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
        return JSONResponse(
            error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers
        )

    async def on_unexpected(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error", exc_info=exc)
        return JSONResponse(error_body("INTERNAL_ERROR", "An unexpected error occurred."), 500)

    async def on_driver_error(request: Request, exc: Exception) -> JSONResponse:
        if not is_dependency_fault(exc):
            return await on_unexpected(request, exc)
        unavailable = DependencyUnavailableError()
        logger.warning(
            "dependency unavailable: %s", describe_error(exc), extra={"code": unavailable.code}
        )
        return JSONResponse(error_body(unavailable.code, unavailable.detail), status_code=503)

    app.add_exception_handler(AppError, on_app_error)
    app.add_exception_handler(RequestValidationError, on_request_invalid)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    for driver_error in DRIVER_ERRORS:
        app.add_exception_handler(driver_error, on_driver_error)
    app.add_exception_handler(Exception, on_unexpected)
