"""Every callback is audited with the client's real address; with the audit database
down the login still succeeds and the rows go to the log."""

from __future__ import annotations

import pytest

from auth.setup.settings import AuthSettings
from auth_tests.integration.proxied_auth import (
    FRONTEND,
    audit_rows,
    error_of,
    logged_audits,
    proxied_auth,
)

FIELDS = {
    "id",
    "occurred_at",
    "result",
    "reason",
    "provider",
    "user_id",
    "session_id",
    "access_jti",
    "client_ip",
    "user_agent",
}


@pytest.mark.parametrize(
    ("trusted", "forwarded", "recorded"),
    [
        # The test client's address (127.0.0.1) is a trusted proxy: its X-Forwarded-For counts.
        (["127.0.0.0/8"], "203.0.113.9, 198.51.100.20", "198.51.100.20"),
        # Not trusted: the header is the client's own claim, the peer is the address.
        (["10.0.0.0/8"], "203.0.113.9, 198.51.100.20", "127.0.0.1"),
    ],
)
async def test_the_callback_audit_has_the_client_address_through_trusted_proxies_only(
    settings: AuthSettings, database_url: str, trusted: list[str], forwarded: str, recorded: str
) -> None:
    async with proxied_auth(settings, trusted_proxies=trusted) as api:
        path = await api.provider_redirect()
        success = await api.callback(path, **{"X-Forwarded-For": forwarded})
        assert success.headers["location"] == f"{FRONTEND}/login/success"
        replay = await api.callback(path, **{"X-Forwarded-For": forwarded})
        assert error_of(replay) == "invalid_state"
    rows = await audit_rows(database_url, api.agent)
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("success", None, recorded),
        ("failure", "invalid_state", recorded),
    ]


async def test_with_the_audit_database_down_the_login_succeeds_and_the_rows_are_logged(
    settings: AuthSettings, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with proxied_auth(settings, trusted_proxies=["127.0.0.0/8"]) as api:
        path = await api.provider_redirect()
        await api.postgres.stop()
        with logged_audits(caplog) as rows:
            down = await api.callback(path, **{"X-Forwarded-For": "198.51.100.20"})
            replay = await api.callback(path, **{"X-Forwarded-For": "198.51.100.20"})
        assert down.headers["location"] == f"{FRONTEND}/login/success"
        assert error_of(replay) == "invalid_state"
        await api.postgres.start()
        back = await api.callback(await api.provider_redirect())
        assert back.headers["location"] == f"{FRONTEND}/login/success"

    assert [set(row) for row in rows] == [FIELDS, FIELDS]
    assert [(row["result"], row["reason"]) for row in rows] == [
        ("success", None),
        ("failure", "invalid_state"),
    ]
    assert rows[0]["user_id"] is not None
    assert {(row["client_ip"], row["user_agent"], row["provider"]) for row in rows} == {
        ("198.51.100.20", api.agent, "acme")
    }
    # Only the login after the outage reached the database.
    assert [(r[0], r[1]) for r in await audit_rows(database_url, api.agent)] == [("success", None)]
