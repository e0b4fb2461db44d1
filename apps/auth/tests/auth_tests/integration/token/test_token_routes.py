"""Every token route and error code over HTTP, against real Redis and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import jwt
import pytest
from fastapi import FastAPI

from auth.application.token.dto.token import TokenPair
from auth.application.token.services.token_service import TokenService
from auth.infrastructure.security.ed25519_token_issuer import Ed25519TokenIssuer
from auth.setup.settings import AuthSettings
from auth.setup.token_system import TokenSystem
from auth_tests.integration.token.conftest import bearer, cookie_header, refresh_header
from kernel.clock import SystemClock
from testkit.clock import ManualClock

pytestmark = pytest.mark.redis_single_and_cluster

VALIDATE = "/api/v1/auth/validate"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
REVOKE = "/api/v1/auth/revoke"
SESSIONS = "/api/v1/auth/sessions"


def service(app: FastAPI) -> TokenService:
    tokens: TokenSystem = app.state.tokens
    return tokens.service


async def login(app: FastAPI, user: uuid.UUID | None = None, device: str = "web") -> TokenPair:
    return await service(app).issue_and_register(
        user_id=user or uuid.uuid4(), provider="google", device_id=device, user_agent="pytest"
    )


def set_cookies(response: httpx.Response) -> dict[str, str]:
    """name -> the whole Set-Cookie line."""
    return {line.split("=", 1)[0]: line for line in response.headers.get_list("set-cookie")}


# --- /validate ----------------------------------------------------------------------------


async def test_validate_answers_identity_headers(app: FastAPI, api: httpx.AsyncClient) -> None:
    user = uuid.uuid4()
    pair = await login(app, user)
    response = await api.get(VALIDATE, headers=bearer(pair.access_token))
    assert response.status_code == 200
    assert response.headers["x-user-id"] == str(user)
    assert response.headers["x-session-id"] == pair.session_id
    assert response.headers["x-auth-provider"] == "google"


async def test_validate_answers_envoys_check_with_the_original_method_and_path(
    app: FastAPI, api: httpx.AsyncClient
) -> None:
    pair = await login(app)
    checked = await api.post(f"{VALIDATE}/api/v1/users/me", headers=bearer(pair.access_token))
    assert checked.status_code == 200
    assert checked.headers["x-session-id"] == pair.session_id
    denied = await api.delete(f"{VALIDATE}/api/v1/users/me")
    assert (denied.status_code, denied.headers["x-auth-error"]) == (401, "TOKEN_MISSING")


async def test_validate_reads_the_access_cookie(app: FastAPI, api: httpx.AsyncClient) -> None:
    pair = await login(app)
    response = await api.get(VALIDATE, headers=cookie_header(s_access=pair.access_token))
    assert response.status_code == 200
    assert response.headers["x-session-id"] == pair.session_id


def expired_pair(app: FastAPI) -> TokenPair:
    tokens: TokenSystem = app.state.tokens
    settings: AuthSettings = app.state.settings
    past = ManualClock(SystemClock().now() - timedelta(hours=1))
    issuer = Ed25519TokenIssuer(
        tokens.keys,
        issuer=settings.token.issuer,
        audience=settings.token.audience,
        access_ttl=timedelta(seconds=settings.token.access_ttl_seconds),
        refresh_ttl=timedelta(seconds=60),
        clock=past,
    )
    return issuer.issue_pair(
        user_id=uuid.uuid4(), provider="google", session_id="x", now=past.now()
    )


@pytest.mark.parametrize(
    ("make_headers", "code"),
    [
        (lambda app, pair: {}, "TOKEN_MISSING"),
        (lambda app, pair: {"Authorization": "Basic dXNlcjpwdw=="}, "TOKEN_MISSING"),
        (lambda app, pair: bearer("garbage"), "TOKEN_MALFORMED"),
        (lambda app, pair: bearer(pair.refresh_token), "TOKEN_TYPE_INVALID"),
        (lambda app, pair: bearer(expired_pair(app).access_token), "TOKEN_EXPIRED"),
    ],
)
async def test_validate_rejects_with_a_code(
    app: FastAPI, api: httpx.AsyncClient, make_headers, code: str
) -> None:
    pair = await login(app)
    response = await api.get(VALIDATE, headers=make_headers(app, pair))
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response.headers["x-auth-error"] == code
    assert response.headers["www-authenticate"] == "Bearer"
    assert "x-user-id" not in response.headers


async def test_validate_decisions_are_counted(app: FastAPI, api: httpx.AsyncClient) -> None:
    pair = await login(app)
    await api.get(VALIDATE, headers=bearer(pair.access_token))
    await api.get(VALIDATE)
    metrics = (await api.get("/metrics")).text
    assert 'auth_validate_decisions_total{code="OK",dialect="direct",result="allow"}' in metrics
    assert (
        'auth_validate_decisions_total{code="TOKEN_MISSING",dialect="direct",result="deny"}'
        in metrics
    )
    assert "auth_validate_duration_seconds_bucket" in metrics
    assert "auth_revocation_replica_age_seconds" in metrics


# --- /refresh -----------------------------------------------------------------------------


async def test_refresh_from_the_cookie_sets_new_cookies_and_hides_tokens(
    app: FastAPI, api: httpx.AsyncClient
) -> None:
    pair = await login(app)
    response = await api.post(REFRESH, headers=cookie_header(s_refresh=pair.refresh_token))
    assert response.status_code == 200
    body = response.json()
    assert body["session_id"] == pair.session_id
    assert body["access_token"] is None
    assert body["refresh_token"] is None
    assert {"access_expires_at", "refresh_expires_at"} <= body.keys()
    cookies = set_cookies(response)
    assert cookies.keys() == {"s_access", "s_refresh"}
    for line in cookies.values():
        assert "HttpOnly" in line
        assert "SameSite=lax" in line
        assert "Path=/" in line
        assert "Secure" not in line  # the test profile
    new_access = cookies["s_access"].split("=", 1)[1].split(";", 1)[0]
    assert (await api.get(VALIDATE, headers=bearer(new_access))).status_code == 200


async def test_refresh_from_a_header_returns_the_tokens(
    app: FastAPI, api: httpx.AsyncClient
) -> None:
    pair = await login(app)
    for headers in (refresh_header(pair), bearer(pair.refresh_token)):
        response = await api.post(REFRESH, headers=headers)
        assert response.status_code == 200
        body = response.json()
        claims = jwt.decode(body["refresh_token"], options={"verify_signature": False})
        assert claims["sid"] == pair.session_id
        assert claims["token_type"] == "refresh"


@pytest.mark.parametrize(
    ("make_headers", "code"),
    [
        (lambda pair: {}, "TOKEN_MISSING"),
        (lambda pair: refresh_header("garbage"), "TOKEN_MALFORMED"),
        (lambda pair: refresh_header(pair.access_token), "TOKEN_TYPE_INVALID"),
    ],
)
async def test_refresh_rejects_with_a_code(
    app: FastAPI, api: httpx.AsyncClient, make_headers, code: str
) -> None:
    pair = await login(app)
    response = await api.post(REFRESH, headers=make_headers(pair))
    assert response.status_code == 401
    assert response.json()["code"] == code


async def test_refresh_of_an_expired_token(app: FastAPI, api: httpx.AsyncClient) -> None:
    stale = expired_pair(app)
    response = await api.post(REFRESH, headers=refresh_header(stale))
    assert (response.status_code, response.json()["code"]) == (401, "TOKEN_EXPIRED")


async def test_refresh_after_logout_is_revoked(app: FastAPI, api: httpx.AsyncClient) -> None:
    pair = await login(app)
    await api.post(LOGOUT, headers=bearer(pair.access_token))
    response = await api.post(REFRESH, headers=refresh_header(pair))
    assert (response.status_code, response.json()["code"]) == (401, "TOKEN_REVOKED")


# --- /logout ------------------------------------------------------------------------------


async def test_logout_twice_clears_cookies_and_revokes(
    app: FastAPI, api: httpx.AsyncClient
) -> None:
    pair = await login(app)
    cookies = cookie_header(s_access=pair.access_token, s_refresh=pair.refresh_token)
    first = await api.post(LOGOUT, headers=cookies)
    second = await api.post(LOGOUT, headers=cookies)
    assert (first.status_code, second.status_code) == (204, 204)
    cleared = set_cookies(first)
    for name in ("s_access", "s_refresh"):
        assert "Max-Age=0" in cleared[name]
        assert "Path=/" in cleared[name]
        assert "HttpOnly" in cleared[name]
        assert "SameSite=lax" in cleared[name]
    response = await api.get(VALIDATE, headers=bearer(pair.access_token))
    assert response.json()["code"] == "TOKEN_REVOKED"


async def test_logout_without_credentials_is_204(api: httpx.AsyncClient) -> None:
    response = await api.post(LOGOUT)
    assert response.status_code == 204
    assert set(set_cookies(response)) == {"s_access", "s_refresh"}


async def test_logout_with_a_foreign_token_is_401(api: httpx.AsyncClient) -> None:
    response = await api.post(LOGOUT, headers=bearer("garbage"))
    assert (response.status_code, response.json()["code"]) == (401, "TOKEN_MALFORMED")


# --- /revoke ------------------------------------------------------------------------------


async def test_revoke_ends_every_session_of_the_caller(
    app: FastAPI, api: httpx.AsyncClient
) -> None:
    user, other = uuid.uuid4(), uuid.uuid4()
    phone, laptop = await login(app, user, "phone"), await login(app, user, "laptop")
    theirs = await login(app, other)
    response = await api.post(REVOKE, headers=bearer(phone.access_token))
    assert response.status_code == 200
    assert response.json()["ended_sessions"] == 2
    assert set(set_cookies(response)) == {"s_access", "s_refresh"}
    for pair in (phone, laptop):
        rejected = await api.get(VALIDATE, headers=bearer(pair.access_token))
        assert rejected.json()["code"] == "TOKEN_REVOKED"
        refused = await api.post(REFRESH, headers=refresh_header(pair))
        assert refused.json()["code"] == "TOKEN_REVOKED"
    assert (await api.get(VALIDATE, headers=bearer(theirs.access_token))).status_code == 200


async def test_revoke_needs_a_valid_access_token(api: httpx.AsyncClient) -> None:
    response = await api.post(REVOKE)
    assert (response.status_code, response.json()["code"]) == (401, "TOKEN_MISSING")


# --- /sessions ----------------------------------------------------------------------------


async def test_sessions_lists_only_the_callers_with_the_current_flag(
    app: FastAPI, api: httpx.AsyncClient
) -> None:
    user = uuid.uuid4()
    phone, laptop = await login(app, user, "phone"), await login(app, user, "laptop")
    await login(app)
    response = await api.get(SESSIONS, headers=bearer(laptop.access_token))
    assert response.status_code == 200
    sessions = {s["session_id"]: s for s in response.json()["sessions"]}
    assert sessions.keys() == {phone.session_id, laptop.session_id}
    assert sessions[laptop.session_id]["current"] is True
    assert sessions[phone.session_id]["current"] is False
    assert sessions[phone.session_id]["device_id"] == "phone"
    assert sessions[phone.session_id]["user_agent"] == "pytest"
    assert {"created_at", "last_used_at", "provider"} <= sessions[phone.session_id].keys()


async def test_delete_own_session(app: FastAPI, api: httpx.AsyncClient) -> None:
    user = uuid.uuid4()
    phone, laptop = await login(app, user, "phone"), await login(app, user, "laptop")
    response = await api.delete(
        f"{SESSIONS}/{phone.session_id}", headers=bearer(laptop.access_token)
    )
    assert response.status_code == 204
    assert "set-cookie" not in response.headers  # not the current session
    rejected = await api.get(VALIDATE, headers=bearer(phone.access_token))
    assert rejected.json()["code"] == "TOKEN_REVOKED"
    listed = await api.get(SESSIONS, headers=bearer(laptop.access_token))
    assert [s["session_id"] for s in listed.json()["sessions"]] == [laptop.session_id]


async def test_delete_another_users_session_is_404(app: FastAPI, api: httpx.AsyncClient) -> None:
    mine, theirs = await login(app), await login(app)
    response = await api.delete(
        f"{SESSIONS}/{theirs.session_id}", headers=bearer(mine.access_token)
    )
    assert (response.status_code, response.json()["code"]) == (404, "SESSION_NOT_FOUND")
    assert (await api.get(VALIDATE, headers=bearer(theirs.access_token))).status_code == 200


# --- JWKS ---------------------------------------------------------------------------------


async def test_jwks_verifies_an_issued_token(app: FastAPI, api: httpx.AsyncClient) -> None:
    pair = await login(app)
    response = await api.get("/api/v1/auth/.well-known/jwks.json")
    assert response.status_code == 200
    assert "max-age" in response.headers["cache-control"]
    jwk_set = jwt.PyJWKSet.from_dict(response.json())
    kid = jwt.get_unverified_header(pair.access_token)["kid"]
    key = next(k for k in jwk_set.keys if k.key_id == kid)
    claims = jwt.decode(
        pair.access_token, key, algorithms=["EdDSA"], audience="eco2-api", issuer="eco2-auth"
    )
    assert claims["sid"] == pair.session_id
