from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from kernel.errors import (
    AppError,
    AuthenticationError,
    ConflictError,
    DependencyUnavailableError,
    NotFoundError,
    RateLimitedError,
    ValidationError,
)
from servicekit.errors import install_error_handlers, status_for


class UserNotFoundError(NotFoundError):
    code = "USER_NOT_FOUND"


class ProviderNotConfiguredError(ConflictError):
    code = "PROVIDER_NOT_CONFIGURED"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (AppError(), 500),
        (ValidationError(), 422),
        (NotFoundError(), 404),
        (UserNotFoundError(), 404),
        (ConflictError(), 409),
        (AuthenticationError(), 401),
        (DependencyUnavailableError(), 503),
        (RateLimitedError(limit=5, retry_after=7), 429),
    ],
)
def test_each_family_has_its_status_and_subclasses_inherit_it(error: AppError, status: int) -> None:
    assert status_for(error) == status


def test_an_override_wins_for_its_class_and_subclasses_only() -> None:
    overrides: dict[type[AppError], int] = {ProviderNotConfiguredError: 404}
    assert status_for(ProviderNotConfiguredError(), overrides) == 404
    assert status_for(ConflictError(), overrides) == 409


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/missing")
    async def missing() -> None:
        raise UserNotFoundError("no user 42")

    @app.get("/unauthenticated")
    async def unauthenticated() -> None:
        raise AuthenticationError(code="TOKEN_EXPIRED")

    @app.get("/limited")
    async def limited() -> None:
        raise RateLimitedError(limit=30, retry_after=12)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/typed/{n}")
    async def typed(n: int) -> int:
        return n

    return app


async def _get(path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path)


async def test_app_errors_become_code_and_detail() -> None:
    response = await _get("/missing")
    assert response.status_code == 404
    assert response.json() == {"code": "USER_NOT_FOUND", "detail": "no user 42"}


async def test_authentication_errors_carry_www_authenticate() -> None:
    response = await _get("/unauthenticated")
    assert response.status_code == 401
    assert response.json()["code"] == "TOKEN_EXPIRED"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_unexpected_errors_are_500_without_internals() -> None:
    response = await _get("/boom")
    assert response.status_code == 500
    assert response.json() == {"code": "INTERNAL_ERROR", "detail": "An unexpected error occurred."}


async def test_request_validation_is_422_with_a_code_and_the_field() -> None:
    response = await _get("/typed/abc")
    assert response.status_code == 422
    assert response.json()["code"] == "REQUEST_INVALID"
    assert "path.n" in response.json()["detail"]


async def test_a_rate_limited_request_is_429_with_retry_after_and_ratelimit_headers() -> None:
    response = await _get("/limited")
    assert response.status_code == 429
    assert response.json() == {
        "code": "RATE_LIMITED",
        "detail": "Too many requests; try again later.",
    }
    assert (
        response.headers["retry-after"],
        response.headers["ratelimit-limit"],
        response.headers["ratelimit-remaining"],
        response.headers["ratelimit-reset"],
    ) == ("12", "30", "0", "12")
    assert "www-authenticate" not in response.headers
