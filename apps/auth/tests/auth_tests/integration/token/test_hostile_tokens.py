"""A token built to break a parser is a 401 TOKEN_MALFORMED on every route that
reads one, in every place it is read from, and leaves no traceback in the log."""

from __future__ import annotations

import httpx
import pytest

from auth_tests.integration.token.conftest import bearer, cookie_header, refresh_header
from testkit.hostile_input import HOSTILE_TOKENS, assert_no_traceback

READS_A_TOKEN = pytest.mark.parametrize(
    ("method", "path", "carry"),
    [
        ("GET", "/api/v1/auth/validate", bearer),
        ("GET", "/api/v1/auth/validate", lambda t: cookie_header(s_access=t)),
        ("POST", "/api/v1/auth/validate/api/v1/users/me", bearer),
        ("POST", "/api/v1/auth/refresh", refresh_header),
        ("POST", "/api/v1/auth/refresh", lambda t: cookie_header(s_refresh=t)),
        ("POST", "/api/v1/auth/refresh", bearer),
        ("POST", "/api/v1/auth/logout", bearer),
        ("POST", "/api/v1/auth/logout", lambda t: cookie_header(s_access=t)),
        ("POST", "/api/v1/auth/logout", refresh_header),
        ("POST", "/api/v1/auth/revoke", bearer),
        ("GET", "/api/v1/auth/sessions", bearer),
        ("DELETE", "/api/v1/auth/sessions/some-session", bearer),
    ],
    ids=[
        "validate-bearer",
        "validate-cookie",
        "validate-envoy-path",
        "refresh-header",
        "refresh-cookie",
        "refresh-bearer",
        "logout-bearer",
        "logout-cookie",
        "logout-refresh-header",
        "revoke",
        "sessions",
        "end-session",
    ],
)


@HOSTILE_TOKENS
@READS_A_TOKEN
async def test_a_hostile_token_is_malformed_everywhere(
    api: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
    token: str,
    method: str,
    path: str,
    carry,
) -> None:
    response = await api.request(method, path, headers=carry(token))
    assert (response.status_code, response.json()["code"]) == (401, "TOKEN_MALFORMED")
    assert_no_traceback(caplog)


@HOSTILE_TOKENS
async def test_validate_names_the_code_in_its_header(api: httpx.AsyncClient, token: str) -> None:
    response = await api.get("/api/v1/auth/validate", headers=bearer(token))
    assert response.headers["x-auth-error"] == "TOKEN_MALFORMED"
