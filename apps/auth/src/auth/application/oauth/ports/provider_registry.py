"""Port: look a provider up by name; list the configured ones."""

from __future__ import annotations

from typing import Protocol

from auth.application.oauth.dto.provider_listing import ProviderListing
from auth.application.oauth.ports.provider_gateway import ProviderGateway


class ProviderRegistry(Protocol):
    """The providers this deployment knows, and which of them are configured."""

    def get(self, name: str) -> ProviderGateway:
        """The gateway of provider ``name``.

        :raises ProviderNotFoundError: no provider has that name.
        :raises ProviderNotConfiguredError: it exists but has no client id/secret.
        """
        ...

    def listed(self) -> tuple[ProviderListing, ...]:
        """The configured providers, in the order a sign-in page shows them."""
        ...
