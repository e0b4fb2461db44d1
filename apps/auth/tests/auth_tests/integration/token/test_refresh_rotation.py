"""Refresh rotation under concurrency, and reuse after the grace window, against Redis
(a single node and a cluster)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from sqlalchemy import text

from auth.setup.app import create_app
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.token.conftest import (
    bearer,
    refresh_header,
    stateless_client,
    with_tokens,
)

pytestmark = pytest.mark.redis_single_and_cluster

REFRESH = "/api/v1/auth/refresh"
VALIDATE = "/api/v1/auth/validate"


def counted(outcome: str) -> float:
    return REGISTRY.get_sample_value("auth_refreshes_total", {"outcome": outcome}) or 0.0


async def test_fifty_concurrent_refreshes_rotate_once_and_the_rest_get_the_same_child(
    app: FastAPI, api: httpx.AsyncClient
) -> None:
    tokens: TokenSystem = app.state.tokens
    user = uuid.uuid4()
    pair = await tokens.service.issue_and_register(
        user_id=user, provider="kakao", device_id="phone", user_agent="EcoApp"
    )
    rotated, grace = counted("rotated"), counted("grace")

    responses = await asyncio.gather(
        *(api.post(REFRESH, headers=refresh_header(pair)) for _ in range(50))
    )

    assert [r.status_code for r in responses] == [200] * 50
    children = {(r.json()["access_token"], r.json()["refresh_token"]) for r in responses}
    assert len(children) == 1
    assert counted("rotated") - rotated == 1
    assert counted("grace") - grace == 49
    [(access, refresh)] = children
    assert (await api.get(VALIDATE, headers=bearer(access))).status_code == 200
    # The child is the one current token: it rotates, the family did not branch.
    assert (await api.post(REFRESH, headers=refresh_header(refresh))).status_code == 200
    session = await tokens.sessions.get(user, pair.session_id)
    assert session is not None
    assert (session.device_id, session.user_agent) == ("phone", "EcoApp")


@pytest.fixture
async def no_grace_app(settings: AuthSettings, test_prefix: str) -> AsyncIterator[FastAPI]:
    application = create_app(with_tokens(settings, test_prefix, refresh_grace_seconds=0))
    async with application.router.lifespan_context(application):
        yield application


async def test_reuse_after_the_grace_window_ends_the_session_and_is_audited(
    no_grace_app: FastAPI,
) -> None:
    tokens: TokenSystem = no_grace_app.state.tokens
    user = uuid.uuid4()
    first = await tokens.service.issue_and_register(
        user_id=user, provider="naver", device_id=None, user_agent=None
    )
    async with stateless_client(no_grace_app) as api:
        child = (await api.post(REFRESH, headers=refresh_header(first))).json()
        reuse = await api.post(
            REFRESH, headers={**refresh_header(first), "User-Agent": "replayer/1"}
        )
        assert (reuse.status_code, reuse.json()["code"]) == (401, "REFRESH_REUSED")
        after = await api.post(REFRESH, headers=refresh_header(child["refresh_token"]))
        assert (after.status_code, after.json()["code"]) == (401, "TOKEN_REVOKED")
        denied = await api.get(VALIDATE, headers=bearer(child["access_token"]))
        assert denied.json()["code"] == "TOKEN_REVOKED"
        metrics = (await api.get("/metrics")).text
    assert "auth_refresh_reuse_detected_total" in metrics

    async with no_grace_app.state.resources.session_factory() as db:
        rows = (
            await db.execute(
                text(
                    "SELECT result, reason, user_id, provider, user_agent"
                    " FROM auth.login_audit WHERE session_id = :sid"
                ),
                {"sid": first.session_id},
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        ("refresh_reuse", "REFRESH_REUSED", user, "naver", "replayer/1")
    ]
