"""ListProvidersQuery over the registry setup builds: configured providers only, in order."""

from __future__ import annotations

import pytest

from auth.application.oauth.dto.provider_listing import ProviderListing
from auth.application.oauth.exceptions.oauth import ProviderNotConfiguredError
from auth.application.oauth.queries.list_providers import ListProvidersQuery
from auth.infrastructure.oauth.provider_registry import StaticProviderRegistry
from auth.setup.oauth_settings import OAuthSettings
from auth_tests.unit.fakes.oauth import FakeProviderGateway


async def test_lists_the_configured_providers_in_order_with_their_display_names() -> None:
    registry = StaticProviderRegistry(
        known=("google", "kakao", "naver", "dev"),
        configured={"kakao": FakeProviderGateway("kakao"), "dev": FakeProviderGateway("dev")},
        display_names={"google": "Google", "kakao": "Kakao", "dev": "Dev (local)"},
    )
    assert await ListProvidersQuery(registry).execute() == (
        ProviderListing("kakao", "Kakao"),
        ProviderListing("dev", "Dev (local)"),
    )
    # Known but unconfigured: not listed, and authorize refuses it.
    with pytest.raises(ProviderNotConfiguredError):
        registry.get("google")


async def test_a_provider_without_a_display_name_shows_its_name() -> None:
    registry = StaticProviderRegistry(known=(), configured={"acme": FakeProviderGateway("acme")})
    assert await ListProvidersQuery(registry).execute() == (ProviderListing("acme", "acme"),)


async def test_nothing_configured_lists_nothing() -> None:
    registry = StaticProviderRegistry(known=("google",), configured={})
    assert await ListProvidersQuery(registry).execute() == ()


def test_labels_default_to_the_brands_and_dev_and_settings_override_or_add() -> None:
    labels = OAuthSettings.model_validate(
        {"display_names": {"naver": "네이버", "acme": "Acme ID"}}
    ).provider_labels()
    assert labels == {
        "google": "Google",
        "kakao": "Kakao",
        "naver": "네이버",
        "apple": "Apple",
        "dev": "Dev (local)",
        "acme": "Acme ID",
    }
