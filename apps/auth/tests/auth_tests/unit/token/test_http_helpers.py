"""Token extraction from requests and the token cookies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import pytest
from starlette.requests import Request
from starlette.responses import Response

from auth.application.token.dto.token import TokenPair
from auth.presentation.http.cookies import CookiePolicy, clear_token_cookies, set_token_cookies
from auth.presentation.http.credentials import access_token_from, bearer, refresh_token_from
from auth.setup.app import build_cookie_policy
from auth.setup.settings import AuthSettings
from auth.setup.token_settings import TokenSettings


def request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Bearer abc", "abc"),
        ("bearer  abc ", "abc"),
        ("Basic abc", None),
        ("Bearer", None),
        (None, None),
    ],
)
def test_bearer(value: str | None, expected: str | None) -> None:
    assert bearer(value) == expected


def test_access_token_prefers_the_header_over_the_cookie() -> None:
    both = request({"Authorization": "Bearer h", "Cookie": "s_access=c"})
    assert access_token_from(both) == "h"
    assert access_token_from(request({"Cookie": "s_access=c"})) == "c"
    assert access_token_from(request({})) is None


def test_refresh_token_sources_in_order() -> None:
    assert refresh_token_from(
        request(
            {"X-Refresh-Token": "Bearer x", "Cookie": "s_refresh=c", "Authorization": "Bearer a"}
        )
    ) == ("x", True)
    assert refresh_token_from(request({"Cookie": "s_refresh=c", "Authorization": "Bearer a"})) == (
        "c",
        False,
    )
    assert refresh_token_from(request({"Authorization": "Bearer a"})) == ("a", True)
    assert refresh_token_from(request({})) == (None, False)


def pair() -> TokenPair:
    now = datetime.now(UTC)
    return TokenPair(
        access_token="at",
        refresh_token="rt",
        access_jti="aj",
        session_id="sid",
        access_expires_at=now + timedelta(minutes=15, seconds=1),
        refresh_expires_at=now + timedelta(days=14, seconds=1),
        refresh_jti="rj",
    )


def cookies(response: Response) -> dict[str, SimpleCookie]:
    parsed = {}
    for name, value in response.raw_headers:
        if name == b"set-cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode())
            parsed[next(iter(jar))] = jar
    return parsed


def test_cookies_in_prod_are_secure_httponly_lax_with_domain() -> None:
    settings = AuthSettings(profile="prod", token=TokenSettings(cookie_domain="eco2.example"))
    response = Response()
    set_token_cookies(response, pair(), build_cookie_policy(settings))
    jar = cookies(response)
    access, refresh = jar["s_access"]["s_access"], jar["s_refresh"]["s_refresh"]
    assert (access.value, refresh.value) == ("at", "rt")
    for morsel in (access, refresh):
        assert morsel["httponly"] is True
        assert morsel["secure"] is True
        assert morsel["samesite"] == "lax"
        assert morsel["path"] == "/"
        assert morsel["domain"] == "eco2.example"
    assert access["max-age"] == str(15 * 60)
    assert refresh["max-age"] == str(14 * 86400)


def test_cookies_in_test_profile_are_not_secure_and_clear_with_same_attributes() -> None:
    settings = AuthSettings(profile="test")
    response = Response()
    clear_token_cookies(response, build_cookie_policy(settings))
    jar = cookies(response)
    for name in ("s_access", "s_refresh"):
        morsel = jar[name][name]
        assert morsel.value == ""
        assert morsel["max-age"] == "0"
        assert morsel["secure"] == ""
        assert morsel["httponly"] is True
        assert morsel["path"] == "/"


@pytest.mark.parametrize(
    "policy",
    [
        CookiePolicy(secure=False),
        CookiePolicy(secure=True, domain="eco2.example"),
        CookiePolicy(secure=True, samesite="none"),
        CookiePolicy(secure=False, domain="eco2.example", samesite="strict"),
    ],
)
def test_token_cookies_are_the_headers_starlette_would_write(policy: CookiePolicy) -> None:
    tokens = pair()
    ours = Response()
    set_token_cookies(ours, tokens, policy)
    starlettes = Response()
    for name, token, expires_at in (
        ("s_access", tokens.access_token, tokens.access_expires_at),
        ("s_refresh", tokens.refresh_token, tokens.refresh_expires_at),
    ):
        starlettes.set_cookie(
            name,
            token,
            max_age=int((expires_at - datetime.now(UTC)).total_seconds()),
            path="/",
            domain=policy.domain,
            secure=policy.secure,
            httponly=True,
            samesite=policy.samesite,
        )
    assert ours.raw_headers == starlettes.raw_headers
