"""`/validate` as an ASGI handler ahead of the app: what it keeps of the general middleware
(request id), its own metrics per decision, Envoy's paths and methods, and what it leaves
to the app (every other path)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY

from auth.application.token.dto.token import ValidateRequest
from auth.setup.token_system import TokenSystem
from auth_tests.integration.token.conftest import bearer

VALIDATE = "/api/v1/auth/validate"


async def login(app: FastAPI) -> tuple[str, str]:
    tokens: TokenSystem = app.state.tokens
    pair = await tokens.service.issue_and_register(
        user_id=uuid.uuid4(), provider="kakao", device_id=None, user_agent="pytest"
    )
    return pair.access_token, pair.session_id


def decisions(result: str, code: str) -> float:
    """Decisions of every dialect with this result and code."""
    return sum(
        sample.value
        for metric in REGISTRY.collect()
        if metric.name == "auth_validate_decisions"
        for sample in metric.samples
        if sample.name == "auth_validate_decisions_total"
        and (sample.labels["result"], sample.labels["code"]) == (result, code)
    )


def timed() -> float:
    return REGISTRY.get_sample_value("auth_validate_duration_seconds_count") or 0.0


def http_requests(route: str) -> float:
    return sum(
        sample.value
        for metric in REGISTRY.collect()
        if metric.name == "http_requests"
        for sample in metric.samples
        if sample.name == "http_requests_total" and sample.labels["route"].startswith(route)
    )


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
async def test_envoys_check_of_any_method_and_path_is_answered(
    app: FastAPI, api: httpx.AsyncClient, method: str
) -> None:
    token, session_id = await login(app)
    allowed = await api.request(
        method, f"{VALIDATE}/api/v1/users/me/characters?x=1", headers=bearer(token)
    )
    assert allowed.status_code == 200
    assert (allowed.headers["x-session-id"], allowed.headers["x-auth-provider"]) == (
        session_id,
        "kakao",
    )
    denied = await api.request(method, f"{VALIDATE}/api/v1/users/me")
    assert (denied.status_code, denied.headers["x-auth-error"]) == (401, "TOKEN_MISSING")


async def test_head_is_answered_without_a_body(app: FastAPI, api: httpx.AsyncClient) -> None:
    token, session_id = await login(app)
    response = await api.head(VALIDATE, headers=bearer(token))
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["x-session-id"] == session_id


async def test_the_request_id_is_echoed_or_generated(app: FastAPI, api: httpx.AsyncClient) -> None:
    token, _ = await login(app)
    echoed = await api.get(VALIDATE, headers={**bearer(token), "X-Request-ID": "envoy-42"})
    assert echoed.headers["x-request-id"] == "envoy-42"
    denied = await api.get(VALIDATE, headers={"X-Request-ID": "envoy-43"})
    assert denied.headers["x-request-id"] == "envoy-43"
    generated = await api.get(VALIDATE)
    assert len(generated.headers["x-request-id"]) == 32


async def test_each_decision_is_counted_once_and_timed(
    app: FastAPI, api: httpx.AsyncClient
) -> None:
    token, _ = await login(app)
    allowed, missing, malformed, calls = (
        decisions("allow", "OK"),
        decisions("deny", "TOKEN_MISSING"),
        decisions("deny", "TOKEN_MALFORMED"),
        timed(),
    )
    await api.get(VALIDATE, headers=bearer(token))
    await api.post(f"{VALIDATE}/api/v1/users/me", headers=bearer(token))
    await api.get(VALIDATE)
    await api.get(VALIDATE, headers=bearer("x.y"))
    assert decisions("allow", "OK") - allowed == 2
    assert decisions("deny", "TOKEN_MISSING") - missing == 1
    assert decisions("deny", "TOKEN_MALFORMED") - malformed == 1
    assert timed() - calls == 4


async def test_it_is_not_counted_as_an_http_route(app: FastAPI, api: httpx.AsyncClient) -> None:
    before = http_requests(VALIDATE)
    await api.get(VALIDATE)
    await api.get(f"{VALIDATE}/api/v1/users/me")
    assert http_requests(VALIDATE) == before


async def test_other_paths_reach_the_app(app: FastAPI, api: httpx.AsyncClient) -> None:
    beside = await api.get(f"{VALIDATE}x")
    assert (beside.status_code, beside.json()["code"]) == (404, "NOT_FOUND")
    assert "x-auth-error" not in beside.headers
    health = await api.get("/health")
    assert health.status_code == 200
    assert http_requests("/health") >= 1


async def test_a_bug_is_a_counted_500_with_a_logged_traceback(
    app: FastAPI,
    api: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(_: ValidateRequest) -> None:
        raise RuntimeError("a bug in validation")

    tokens: TokenSystem = app.state.tokens
    monkeypatch.setattr(tokens.validate, "execute", broken)
    errors = decisions("error", "INTERNAL_ERROR")
    response = await api.get(VALIDATE, headers={"X-Request-ID": "rid-500"})
    assert (response.status_code, response.json()["code"]) == (500, "INTERNAL_ERROR")
    assert response.headers["x-request-id"] == "rid-500"
    assert decisions("error", "INTERNAL_ERROR") - errors == 1
    assert any(r.exc_info and "a bug in validation" in str(r.exc_info[1]) for r in caplog.records)
