"""`/validate` in each gateway dialect: Envoy/Istio ext_authz (the checked path appended,
its method kept), nginx `auth_request` and ingress-nginx `auth-url` (`X-Original-*`),
Traefik ForwardAuth (`X-Forwarded-*`). The same decision and answer headers for each;
the checked request is counted under its dialect and named in the debug log line."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from pydantic import SecretStr

from auth.setup.app import create_app
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.token.conftest import bearer, stateless_client
from kernel.clock import SystemClock

VALIDATE = "/api/v1/auth/validate"
LOGGER = "auth.presentation.http.routers.validate"


@dataclass(frozen=True)
class Check:
    """How a gateway asks about `method uri`, and what auth should log it as."""

    dialect: str
    method: str
    path: str
    headers: dict[str, str]
    original_method: str
    original_uri: str


def envoy(method: str, uri: str) -> Check:
    return Check("envoy", method, f"{VALIDATE}{uri}", {}, method, uri)


def nginx(method: str, uri: str) -> Check:
    headers = {"X-Original-Method": method, "X-Original-URI": uri}
    return Check("nginx", "GET", VALIDATE, headers, method, uri)


def ingress_nginx(method: str, uri: str) -> Check:
    url = f"https://api.eco2.example{uri}"
    headers = {"X-Original-Method": method, "X-Original-URL": url, "X-Sent-From": "ingress"}
    return Check("nginx", "GET", VALIDATE, headers, method, url)


def traefik(method: str, uri: str) -> Check:
    headers = {
        "X-Forwarded-Method": method,
        "X-Forwarded-Uri": uri,
        "X-Forwarded-Host": "api.eco2.example",
        "X-Forwarded-Proto": "https",
    }
    return Check("traefik", "GET", VALIDATE, headers, method, f"https://api.eco2.example{uri}")


def direct(method: str, _uri: str) -> Check:
    return Check("direct", method, VALIDATE, {}, method, VALIDATE)


Gateway = Callable[[str, str], Check]
GATEWAYS: list[Gateway] = [envoy, nginx, ingress_nginx, traefik, direct]


async def ask(api: httpx.AsyncClient, check: Check, token: str | None = None) -> httpx.Response:
    headers = {**check.headers, **(bearer(token) if token else {})}
    return await api.request(check.method, check.path, headers=headers)


async def login(app: FastAPI) -> tuple[str, str, uuid.UUID]:
    tokens: TokenSystem = app.state.tokens
    user = uuid.uuid4()
    pair = await tokens.service.issue_and_register(
        user_id=user, provider="kakao", device_id=None, user_agent="pytest"
    )
    return pair.access_token, pair.session_id, user


def decisions(dialect: str, result: str, code: str) -> float:
    labels = {"dialect": dialect, "result": result, "code": code}
    return REGISTRY.get_sample_value("auth_validate_decisions_total", labels) or 0.0


def decision_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER and r.message == "validate decision"]


@pytest.mark.parametrize("gateway", GATEWAYS)
async def test_each_dialect_gets_the_same_answer(
    app: FastAPI, api: httpx.AsyncClient, gateway: Gateway
) -> None:
    token, session_id, user = await login(app)
    check = gateway("PATCH", "/api/v1/users/me?fields=nickname")
    allowed = await ask(api, check, token)
    assert (allowed.status_code, allowed.content) == (200, b"")
    assert (
        allowed.headers["x-user-id"],
        allowed.headers["x-session-id"],
        allowed.headers["x-auth-provider"],
    ) == (str(user), session_id, "kakao")
    assert "x-auth-error" not in allowed.headers

    for presented, code in [(None, "TOKEN_MISSING"), ("x.y", "TOKEN_MALFORMED")]:
        denied = await ask(api, check, presented)
        assert denied.status_code == 401
        assert denied.json() == {"code": code, "detail": denied.json()["detail"]}
        assert (denied.headers["x-auth-error"], denied.headers["www-authenticate"]) == (
            code,
            "Bearer",
        )
        assert "x-user-id" not in denied.headers


@pytest.mark.parametrize("gateway", GATEWAYS)
async def test_each_dialect_is_counted_under_its_name(
    app: FastAPI, api: httpx.AsyncClient, gateway: Gateway
) -> None:
    token, _, _ = await login(app)
    check = gateway("POST", "/api/v1/users/me/characters")
    allowed = decisions(check.dialect, "allow", "OK")
    missing = decisions(check.dialect, "deny", "TOKEN_MISSING")
    others = {d: decisions(d, "allow", "OK") for d in {g("GET", "/").dialect for g in GATEWAYS}}
    await ask(api, check, token)
    await ask(api, check)
    assert decisions(check.dialect, "allow", "OK") - allowed == 1
    assert decisions(check.dialect, "deny", "TOKEN_MISSING") - missing == 1
    for dialect, before in others.items():
        if dialect != check.dialect:
            assert decisions(dialect, "allow", "OK") == before


@pytest.mark.parametrize("gateway", GATEWAYS)
async def test_the_debug_log_names_the_checked_request(
    app: FastAPI, api: httpx.AsyncClient, gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    token, _, _ = await login(app)
    check = gateway("DELETE", "/api/v1/users/me?confirm=1")
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    await ask(api, check, token)
    await ask(api, check)
    allowed, denied = decision_lines(caplog)
    for record, result, code in [(allowed, "allow", "OK"), (denied, "deny", "TOKEN_MISSING")]:
        assert (
            record.dialect,  # type: ignore[attr-defined]
            record.original_method,  # type: ignore[attr-defined]
            record.original_uri,  # type: ignore[attr-defined]
            record.result,  # type: ignore[attr-defined]
            record.code,  # type: ignore[attr-defined]
        ) == (check.dialect, check.original_method, check.original_uri, result, code)


async def test_above_debug_a_decision_logs_nothing(
    app: FastAPI, api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    await ask(api, nginx("GET", "/api/v1/users/me"))
    assert decision_lines(caplog) == []


@pytest.mark.parametrize("gateway", GATEWAYS)
async def test_a_cors_preflight_needs_a_token_like_any_request(
    app: FastAPI, api: httpx.AsyncClient, gateway: Gateway
) -> None:
    preflight = await ask(api, gateway("OPTIONS", "/api/v1/users/me"))
    assert (preflight.status_code, preflight.headers["x-auth-error"]) == (401, "TOKEN_MISSING")


@pytest.mark.parametrize("gateway", [nginx, traefik])
async def test_the_checked_request_never_changes_the_decision(
    app: FastAPI, api: httpx.AsyncClient, gateway: Gateway
) -> None:
    token, _, _ = await login(app)
    for uri in ["/api/v1/auth/validate", "/internal/v1/identities", "/../../etc/passwd", ""]:
        check = gateway("POST", uri)
        assert (await ask(api, check, token)).status_code == 200
        assert (await ask(api, check)).status_code == 401


async def test_a_bugs_traceback_names_the_checked_request(
    app: FastAPI,
    api: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(_: object) -> None:
        raise RuntimeError("a bug in validation")

    tokens: TokenSystem = app.state.tokens
    monkeypatch.setattr(tokens.validate, "execute", broken)
    errors = decisions("traefik", "error", "INTERNAL_ERROR")
    response = await ask(api, traefik("PUT", "/api/v1/users/me"))
    assert (response.status_code, response.json()["code"]) == (500, "INTERNAL_ERROR")
    assert decisions("traefik", "error", "INTERNAL_ERROR") - errors == 1
    [logged] = [r for r in caplog.records if r.exc_info]
    assert logged.exc_info is not None
    assert getattr(logged.exc_info[1], "__notes__", None) == [
        "checked request (traefik): PUT https://api.eco2.example/api/v1/users/me"
    ]


@pytest.mark.parametrize("gateway", GATEWAYS)
async def test_each_dialect_fails_closed_alike_when_revocation_cannot_be_checked(
    settings: AuthSettings, gateway: Gateway
) -> None:
    broken = settings.model_copy(update={"redis_url": SecretStr("redis://127.0.0.1:1/0")})
    app = create_app(broken)
    check = gateway("GET", "/api/v1/users/me")
    async with app.router.lifespan_context(app):
        tokens: TokenSystem = app.state.tokens
        pair = tokens.issuer.issue_pair(
            user_id=uuid.uuid4(), provider="google", session_id="s", now=SystemClock().now()
        )
        unavailable = decisions(check.dialect, "unavailable", "REVOCATION_STATE_UNAVAILABLE")
        async with stateless_client(app) as api:
            response = await ask(api, check, pair.access_token)
    assert response.status_code == 503
    assert response.json()["code"] == response.headers["x-auth-error"]
    assert response.headers["x-auth-error"] == "REVOCATION_STATE_UNAVAILABLE"
    assert "x-user-id" not in response.headers
    assert (
        decisions(check.dialect, "unavailable", "REVOCATION_STATE_UNAVAILABLE") - unavailable == 1
    )
