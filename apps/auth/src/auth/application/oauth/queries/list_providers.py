"""List the providers a user can sign in with."""

from __future__ import annotations

from auth.application.oauth.dto.provider_listing import ProviderListing
from auth.application.oauth.ports.provider_registry import ProviderRegistry


class ListProvidersQuery:
    """The configured providers (their credentials present), built-in ones first, each
    with its label for people (its name when none is configured). A provider that exists
    without credentials is not listed: its `authorize` would answer 404
    `PROVIDER_NOT_CONFIGURED`."""

    def __init__(self, providers: ProviderRegistry) -> None:
        self._providers = providers

    async def execute(self) -> tuple[ProviderListing, ...]:
        return self._providers.listed()
