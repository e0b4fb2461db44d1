"""The identity a provider vouches for after a successful code exchange."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ProviderProfile:
    """Keyed by (provider, provider_user_id); the email is verified only if the provider says so.

    ``refresh_token`` is the provider's refresh token from the same code exchange, when it
    issued one: what ending the link at the provider later needs (token revocation). It is
    handed on, not stored, by the exchange.
    """

    provider: str
    provider_user_id: str
    email: str | None
    email_verified: bool
    nickname: str | None
    profile_image_url: str | None
    refresh_token: str | None = field(default=None, repr=False)
