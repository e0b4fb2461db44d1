"""Port: look a provider up by name."""

from __future__ import annotations

from typing import Protocol

from auth.application.oauth.ports.provider_gateway import ProviderGateway


class ProviderRegistry(Protocol):
    """The providers this deployment knows, and which of them are configured."""

    def get(self, name: str) -> ProviderGateway:
        """The gateway of provider ``name``.

        :raises ProviderNotFoundError: no provider has that name.
        :raises ProviderNotConfiguredError: it exists but has no client id/secret.
        """
        ...
