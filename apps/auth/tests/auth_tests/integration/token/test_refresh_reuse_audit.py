"""The refresh-reuse audit: the client's address through trusted proxies only, and in
the log (the reuse still answered 401) when the audit database is down."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from auth.application.token.dto.token import TokenPair
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.proxied_auth import ProxiedAuth, logged_audits, proxied_auth
from auth_tests.integration.token.conftest import refresh_header, with_tokens

pytestmark = pytest.mark.redis_single_and_cluster

REFRESH = "/api/v1/auth/refresh"


async def rotated_parent(api: ProxiedAuth) -> TokenPair:
    """A session whose first refresh token has been rotated (so presenting it is reuse)."""
    tokens: TokenSystem = api.app.state.tokens
    first = await tokens.service.issue_and_register(
        user_id=uuid.uuid4(), provider="kakao", device_id=None, user_agent=None
    )
    rotated = await api.client.post(REFRESH, headers=refresh_header(first))
    assert rotated.status_code == 200, rotated.text
    api.client.cookies.clear()
    return first


async def reuse(api: ProxiedAuth, parent: TokenPair, forwarded: str) -> None:
    response = await api.client.post(
        REFRESH,
        headers={
            **refresh_header(parent),
            "User-Agent": api.agent,
            "X-Forwarded-For": forwarded,
        },
    )
    assert (response.status_code, response.json()["code"]) == (401, "REFRESH_REUSED")


@pytest.mark.parametrize(
    ("trusted", "recorded"),
    [
        (["127.0.0.0/8"], "198.51.100.20"),  # the peer is a trusted proxy
        (["10.0.0.0/8"], "127.0.0.1"),  # it is not: its header is ignored
    ],
)
async def test_the_reuse_audit_has_the_client_address_through_trusted_proxies_only(
    settings: AuthSettings, test_prefix: str, database_url: str, trusted: list[str], recorded: str
) -> None:
    no_grace = with_tokens(settings, test_prefix, refresh_grace_seconds=0)
    async with proxied_auth(no_grace, trusted_proxies=trusted) as api:
        parent = await rotated_parent(api)
        await reuse(api, parent, "203.0.113.9, 198.51.100.20")
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT result, client_ip FROM auth.login_audit WHERE session_id = :sid"),
                {"sid": parent.session_id},
            )
            assert [tuple(row) for row in rows] == [("refresh_reuse", recorded)]
    finally:
        await engine.dispose()


async def test_a_reuse_with_the_audit_database_down_is_401_and_logged(
    settings: AuthSettings, test_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    no_grace = with_tokens(settings, test_prefix, refresh_grace_seconds=0)
    async with proxied_auth(no_grace, trusted_proxies=["127.0.0.0/8"]) as api:
        parent = await rotated_parent(api)
        await api.postgres.stop()
        with logged_audits(caplog) as rows:
            await reuse(api, parent, "198.51.100.20")
    [row] = rows
    assert (row["result"], row["reason"], row["session_id"]) == (
        "refresh_reuse",
        "REFRESH_REUSED",
        parent.session_id,
    )
    assert (row["client_ip"], row["user_agent"], row["provider"]) == (
        "198.51.100.20",
        api.agent,
        "kakao",
    )
