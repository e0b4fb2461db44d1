"""ProviderRegistry over the gateways built at start from configuration."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from auth.application.oauth.dto.provider_listing import ProviderListing
from auth.application.oauth.exceptions.oauth import (
    ProviderNotConfiguredError,
    ProviderNotFoundError,
)
from auth.application.oauth.ports.provider_gateway import ProviderGateway
from auth.application.oauth.ports.provider_registry import ProviderRegistry


class StaticProviderRegistry(ProviderRegistry):
    """``known`` names every provider; ``configured`` those that have credentials, in
    display order; ``display_names`` what people see (the name itself by default)."""

    def __init__(
        self,
        known: Iterable[str],
        configured: Mapping[str, ProviderGateway],
        display_names: Mapping[str, str] | None = None,
    ) -> None:
        self._known = frozenset(known) | configured.keys()
        self._configured = dict(configured)
        names = display_names or {}
        self._listed = tuple(ProviderListing(name, names.get(name, name)) for name in configured)

    def get(self, name: str) -> ProviderGateway:
        gateway = self._configured.get(name)
        if gateway is not None:
            return gateway
        if name in self._known:
            raise ProviderNotConfiguredError(f"provider {name!r} has no client id/secret")
        raise ProviderNotFoundError(f"no provider named {name!r}")

    def listed(self) -> tuple[ProviderListing, ...]:
        return self._listed
