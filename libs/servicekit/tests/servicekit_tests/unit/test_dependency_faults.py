"""Database and Redis client errors: unreachable is 503 DEPENDENCY_UNAVAILABLE, a bug is 500."""

from __future__ import annotations

import logging
from collections.abc import Callable

import asyncpg
import httpx
import pytest
import redis.exceptions as redis_errors
import sqlalchemy.exc as sa_errors
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from servicekit.errors import install_error_handlers

UNAVAILABLE = {
    "code": "DEPENDENCY_UNAVAILABLE",
    "detail": "A dependency is unavailable; try again later.",
}
INTERNAL = {"code": "INTERNAL_ERROR", "detail": "An unexpected error occurred."}


def _wrapped(cls: type[sa_errors.DBAPIError], orig: BaseException, **kw: bool) -> Exception:
    """How SQLAlchemy raises an error of an open connection (orig = the driver's)."""
    return cls("SELECT secret FROM t WHERE p = $1", ("parameter-value",), orig, **kw)  # type: ignore[arg-type]


async def _connect_nowhere() -> None:
    """A real connection attempt through SQLAlchemy and asyncpg to a socket that does
    not exist: the driver's OSError reaches the route unwrapped, as for a stopped server."""
    engine = create_async_engine("postgresql+asyncpg://postgres@/eco2?host=/nonexistent-dir")
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


async def _response(raise_it: Callable[[], Exception] | None) -> httpx.Response:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/fails")
    async def fails() -> None:
        if raise_it is None:
            await _connect_nowhere()
        else:
            raise raise_it()

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get("/fails")


async def test_a_refused_database_connection_is_503_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        response = await _response(None)
    assert (response.status_code, response.json()) == (503, UNAVAILABLE)
    [record] = [r for r in caplog.records if r.name == "servicekit.errors"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "FileNotFoundError" in record.getMessage()  # the missing socket, unwrapped


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(
            lambda: _wrapped(sa_errors.OperationalError, ConnectionResetError()), id="operational"
        ),
        pytest.param(
            lambda: _wrapped(
                sa_errors.InterfaceError,
                RuntimeError("connection is closed"),
                connection_invalidated=True,
            ),
            id="connection-invalidated",
        ),
        pytest.param(
            lambda: _wrapped(
                sa_errors.DBAPIError,
                asyncpg.exceptions.AdminShutdownError("terminating connection"),
            ),
            id="admin-shutdown-mid-query",
        ),
        pytest.param(
            lambda: asyncpg.exceptions.CannotConnectNowError("starting up"),
            id="cannot-connect-now",
        ),
        pytest.param(
            lambda: asyncpg.exceptions.TooManyConnectionsError("too many"),
            id="too-many-connections",
        ),
        pytest.param(
            lambda: asyncpg.exceptions.ConnectionDoesNotExistError("closed"),
            id="connection-lost",
        ),
        pytest.param(lambda: sa_errors.TimeoutError("QueuePool limit reached"), id="pool-timeout"),
        pytest.param(lambda: redis_errors.ConnectionError("refused"), id="redis-refused"),
        pytest.param(lambda: redis_errors.TimeoutError("timed out"), id="redis-timeout"),
        pytest.param(lambda: redis_errors.BusyLoadingError("loading"), id="redis-loading"),
    ],
)
async def test_connection_level_errors_are_503(error: Callable[[], Exception]) -> None:
    response = await _response(error)
    assert (response.status_code, response.json()) == (503, UNAVAILABLE)


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(
            lambda: _wrapped(
                sa_errors.IntegrityError,
                asyncpg.exceptions.UniqueViolationError("duplicate key"),
            ),
            id="integrity",
        ),
        pytest.param(
            lambda: _wrapped(
                sa_errors.ProgrammingError,
                asyncpg.exceptions.UndefinedTableError("no such table"),
            ),
            id="programming",
        ),
        pytest.param(lambda: asyncpg.exceptions.DivisionByZeroError("/0"), id="data"),
        pytest.param(lambda: redis_errors.ResponseError("WRONGTYPE"), id="redis-wrongtype"),
        pytest.param(lambda: ConnectionRefusedError("not raised by a driver"), id="app-oserror"),
        pytest.param(lambda: FileNotFoundError("/etc/missing"), id="app-file"),
    ],
)
async def test_bugs_stay_500_and_are_logged_with_the_traceback(
    error: Callable[[], Exception], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = await _response(error)
    assert (response.status_code, response.json()) == (500, INTERNAL)
    assert any(r.exc_info for r in caplog.records if r.name == "servicekit.errors")


async def test_the_log_line_names_the_causes_but_not_the_statement(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        await _response(lambda: _wrapped(sa_errors.OperationalError, ConnectionResetError("reset")))
    [record] = [r for r in caplog.records if r.name == "servicekit.errors"]
    message = record.getMessage()
    assert "OperationalError <- ConnectionResetError: reset" in message
    assert "secret" not in message
    assert "parameter-value" not in message
