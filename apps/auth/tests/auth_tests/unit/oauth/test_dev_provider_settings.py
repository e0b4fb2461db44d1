"""Provider `dev` (the local OpenID Connect provider): on by default in the local profile
only, and a start-up refusal, naming the variable, anywhere but the local/test profiles."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from auth.main import main
from auth.setup.oauth_system import build_providers
from auth.setup.settings import AuthSettings
from kernel.clock import SystemClock


@pytest.mark.parametrize(
    ("profile", "enabled"), [("local", True), ("test", False), ("dev", False), ("prod", False)]
)
def test_it_is_on_by_default_in_the_local_profile_only(
    monkeypatch: pytest.MonkeyPatch, profile: str, enabled: bool
) -> None:
    monkeypatch.setenv("AUTH_PROFILE", profile)
    assert AuthSettings().dev_provider_enabled is enabled


@pytest.mark.parametrize(("profile", "value"), [("test", "true"), ("local", "false")])
def test_the_local_profiles_can_turn_it_on_or_off(
    monkeypatch: pytest.MonkeyPatch, profile: str, value: str
) -> None:
    monkeypatch.setenv("AUTH_PROFILE", profile)
    monkeypatch.setenv("AUTH_OAUTH__DEV__ENABLED", value)
    assert AuthSettings().dev_provider_enabled is (value == "true")


@pytest.mark.parametrize("profile", ["dev", "prod"])
def test_start_up_refuses_it_outside_the_local_profiles_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, profile: str
) -> None:
    monkeypatch.setenv("AUTH_PROFILE", profile)
    monkeypatch.setenv("AUTH_OAUTH__DEV__ENABLED", "true")
    with pytest.raises(
        ValidationError,
        match=f"AUTH_OAUTH__DEV__ENABLED=true is refused in the '{profile}' profile",
    ):
        main(["serve"])


def test_a_generic_oidc_provider_cannot_take_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_PROFILE", "prod")
    monkeypatch.setenv("AUTH_OAUTH__OIDC__DEV__ISSUER", "https://idp.example")
    with pytest.raises(ValidationError, match="'dev' is reserved"):
        AuthSettings()


def test_it_is_an_openid_connect_client_with_pkce_and_nonce() -> None:
    settings = AuthSettings(profile="local")
    providers = build_providers(
        settings.oauth, httpx.AsyncClient(), SystemClock(), dev_enabled=True
    )
    dev = providers["dev"]
    assert (dev.name, dev.supports_pkce, dev.uses_nonce) == ("dev", True, True)
    assert "dev" not in build_providers(settings.oauth, httpx.AsyncClient(), SystemClock())
