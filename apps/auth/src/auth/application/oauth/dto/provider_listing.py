"""A provider as a sign-in page shows it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProviderListing:
    """``name`` goes in URLs (`/{name}/authorize`); ``display_name`` is for people."""

    name: str
    display_name: str
