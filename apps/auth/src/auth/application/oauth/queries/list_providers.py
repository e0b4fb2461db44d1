"""List the providers a user can sign in with."""

from __future__ import annotations

from auth.application.oauth.dto.provider_listing import ProviderListing
from auth.application.oauth.ports.provider_registry import ProviderRegistry


class ListProvidersQuery:
    """The configured providers (client id and secret present), in display order:
    the built-in ones (Google, Kakao, Naver), then the generic OpenID Connect ones by
    name. A provider that exists without credentials is not listed: its `authorize`
    would answer 404 `PROVIDER_NOT_CONFIGURED`."""

    def __init__(self, providers: ProviderRegistry) -> None:
        self._providers = providers

    async def execute(self) -> tuple[ProviderListing, ...]:
        return self._providers.listed()
