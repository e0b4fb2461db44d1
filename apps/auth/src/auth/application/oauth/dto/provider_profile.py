"""The identity a provider vouches for after a successful code exchange."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProviderProfile:
    """Keyed by (provider, provider_user_id); the email is verified only if the provider says so."""

    provider: str
    provider_user_id: str
    email: str | None
    email_verified: bool
    nickname: str | None
    profile_image_url: str | None
