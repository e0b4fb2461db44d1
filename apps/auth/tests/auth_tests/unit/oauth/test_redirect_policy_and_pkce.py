"""Redirect allow-lists, the post-login URL and the PKCE S256 transform."""

from __future__ import annotations

import pytest

from auth.application.oauth.exceptions.oauth import (
    FrontendOriginNotAllowedError,
    RedirectUriNotAllowedError,
)
from auth.application.oauth.services.pkce import s256_challenge
from auth.application.oauth.services.redirect_policy import RedirectPolicy

POLICY = RedirectPolicy(
    callback_base_url="https://api.eco2.test/",
    allowed_redirect_uris=["https://m.eco2.test/api/v1/auth/kakao/callback"],
    default_frontend_origin="https://eco2.test",
    allowed_frontend_origins=["https://admin.eco2.test"],
    success_path="/login/success",
    error_path="/login/error",
)


def test_pkce_s256_matches_the_rfc_7636_example() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert s256_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_default_redirect_uri_is_the_providers_callback_route() -> None:
    assert POLICY.redirect_uri("kakao", None) == "https://api.eco2.test/api/v1/auth/kakao/callback"


def test_an_allow_listed_redirect_uri_is_kept() -> None:
    uri = "https://m.eco2.test/api/v1/auth/kakao/callback"
    assert POLICY.redirect_uri("kakao", uri) == uri


@pytest.mark.parametrize(
    "uri",
    [
        "https://evil.test/api/v1/auth/kakao/callback",
        "https://m.eco2.test/api/v1/auth/kakao/callback/../../x",
        "https://m.eco2.test/api/v1/auth/kakao/callback?x=1",
    ],
)
def test_any_other_redirect_uri_is_refused(uri: str) -> None:
    with pytest.raises(RedirectUriNotAllowedError) as caught:
        POLICY.redirect_uri("kakao", uri)
    assert caught.value.code == "REDIRECT_URI_NOT_ALLOWED"


def test_frontend_origin_defaults_and_allow_list() -> None:
    assert POLICY.frontend_origin(None) == "https://eco2.test"
    assert POLICY.frontend_origin("https://admin.eco2.test/") == "https://admin.eco2.test"


def test_after_login_is_the_complete_frontend_url() -> None:
    assert POLICY.after_login("https://admin.eco2.test") == "https://admin.eco2.test/login/success"
    assert POLICY.after_login(None) == "https://eco2.test/login/success"
    assert (
        POLICY.after_login(None, "invalid_state")
        == "https://eco2.test/login/error?error=invalid_state"
    )
    assert (
        POLICY.after_login("https://admin.eco2.test", "a&b=c")
        == "https://admin.eco2.test/login/error?error=a%26b%3Dc"
    )


@pytest.mark.parametrize("origin", ["https://eco2.test.evil.test", "http://eco2.test", "null"])
def test_a_foreign_frontend_origin_is_refused(origin: str) -> None:
    with pytest.raises(FrontendOriginNotAllowedError) as caught:
        POLICY.frontend_origin(origin)
    assert caught.value.code == "FRONTEND_ORIGIN_NOT_ALLOWED"
