"""OAuthSettings refuses configurations that would misroute or misbelieve."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from auth.setup.oauth_settings import OAuthSettings


@pytest.mark.parametrize("name", ["google", "kakao", "naver", "has space", "a/b"])
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
