"""Settings: the internal credential is mandatory and strong outside local/test."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from pydantic import SecretStr, ValidationError

from users.setup.app import create_app
from users.setup.settings import UsersSettings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets counts, not the USERS_ variables of the machine."""
    for name in list(os.environ):
        if name.startswith("USERS_"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize("profile", ["dev", "prod"])
def test_the_api_refuses_to_start_without_an_internal_token(profile: str) -> None:
    settings = UsersSettings(profile=profile)
    with pytest.raises(ValueError, match="USERS_INTERNAL_API_TOKEN"):
        settings.require_serving_secrets()
    with pytest.raises(ValueError, match="USERS_INTERNAL_API_TOKEN"):
        create_app(settings)


def test_the_api_refuses_a_short_internal_token_in_prod() -> None:
    settings = UsersSettings(profile="prod", internal_api_token=SecretStr("s" * 31))
    with pytest.raises(ValueError, match="at least 32"):
        settings.require_serving_secrets()


def test_accepts_a_strong_token_in_prod_and_hides_it() -> None:
    settings = UsersSettings(profile="prod", internal_api_token=SecretStr("s" * 32))
    settings.require_serving_secrets()
    assert "s" * 32 not in repr(settings)


def test_an_empty_token_is_refused_in_any_profile() -> None:
    with pytest.raises(ValidationError, match="set but empty"):
        UsersSettings(profile="local", internal_api_token=SecretStr(""))


def test_local_profile_serves_without_a_token() -> None:
    settings = UsersSettings(profile="local")
    settings.require_serving_secrets()
    assert settings.internal_api_token is None


def test_nested_settings_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERS_ACCESS_TOKEN__LEEWAY_SECONDS", "5")
    monkeypatch.setenv("USERS_DEFAULT_CHARACTER__CODE", "char-leaf")
    monkeypatch.setenv("USERS_EVENTS_STREAM", "custom:stream")
    settings = UsersSettings()
    assert settings.access_token.leeway_seconds == 5
    assert settings.default_character.code == "char-leaf"
    assert settings.events_stream == "custom:stream"
    assert settings.default_character.name == "이코"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("P30D", timedelta(days=30)), ("0", timedelta(0)), ("2.5", timedelta(seconds=2.5))],
)
def test_the_grace_period_is_a_duration_or_seconds(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: timedelta
) -> None:
    monkeypatch.setenv("USERS_DELETION__GRACE_PERIOD", value)
    assert UsersSettings().deletion.grace_period == expected


def test_the_grace_period_defaults_to_30_days_and_is_never_negative(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert UsersSettings().deletion.grace_period == timedelta(days=30)
    monkeypatch.setenv("USERS_DELETION__GRACE_PERIOD", "-1")
    with pytest.raises(ValidationError):
        UsersSettings()


def test_admin_credentials_come_as_a_json_object_and_hide_their_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USERS_ADMIN_CREDENTIALS", '{"ops-kim": "' + "k" * 32 + '"}')
    settings = UsersSettings(profile="prod")
    assert settings.admin_credentials["ops-kim"].get_secret_value() == "k" * 32
    assert "k" * 32 not in repr(settings)
