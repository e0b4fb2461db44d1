"""OAuthSettings refuses configurations that would misroute or misbelieve."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from auth.setup.oauth_settings import OAuthSettings


@pytest.mark.parametrize("name", ["google", "kakao", "naver", "apple", "has space", "a/b"])
def test_a_generic_oidc_provider_cannot_shadow_a_built_in_or_be_a_path(name: str) -> None:
    with pytest.raises(ValidationError, match="reserved or not a plain name"):
        OAuthSettings.model_validate({"oidc": {name: {"issuer": "https://idp.example"}}})


def test_trusted_proxies_must_be_networks() -> None:
    with pytest.raises(ValidationError):
        OAuthSettings(trusted_proxies=["10.0.0.0/8", "not-a-cidr"])


def test_frontend_paths_are_absolute() -> None:
    with pytest.raises(ValidationError, match="start with '/'"):
        OAuthSettings(frontend_error_path="login/error")


def test_a_provider_is_configured_only_with_id_and_secret() -> None:
    settings = OAuthSettings.model_validate(
        {"google": {"client_id": "id"}, "naver": {"client_id": "id", "client_secret": "s"}}
    )
    assert (settings.google.configured, settings.naver.configured) == (False, True)
    assert settings.kakao.configured is False


def test_naver_uses_its_openid_connect_endpoints_unless_legacy_is_asked_for() -> None:
    naver = OAuthSettings().naver
    assert (naver.flow, naver.issuer, naver.scopes) == (
        "oidc",
        "https://nid.naver.com",
        "openid profile",
    )
    legacy = OAuthSettings.model_validate({"naver": {"flow": "legacy"}}).naver
    assert legacy.flow == "legacy"
    with pytest.raises(ValidationError):
        OAuthSettings.model_validate({"naver": {"flow": "oauth1"}})


@pytest.mark.parametrize("missing", ["client_id", "team_id", "key_id", "private_key"])
def test_apple_is_configured_only_with_client_team_key_id_and_private_key(missing: str) -> None:
    apple = {"client_id": "com.eco2.web", "team_id": "T", "key_id": "K", "private_key": "pem"}
    assert OAuthSettings.model_validate({"apple": apple}).apple.configured is True
    partial = {key: value for key, value in apple.items() if key != missing}
    assert OAuthSettings.model_validate({"apple": partial}).apple.configured is False


def test_apple_endpoints_default_to_apples_and_the_secret_lives_minutes() -> None:
    apple = OAuthSettings().apple
    assert (apple.issuer, apple.authorization_url, apple.token_url, apple.jwks_url) == (
        "https://appleid.apple.com",
        "https://appleid.apple.com/auth/authorize",
        "https://appleid.apple.com/auth/token",
        "https://appleid.apple.com/auth/keys",
    )
    assert (apple.scopes, apple.client_secret_ttl_seconds) == ("name email", 300)
    with pytest.raises(ValidationError):
        OAuthSettings.model_validate({"apple": {"client_secret_ttl_seconds": 15_777_001}})
