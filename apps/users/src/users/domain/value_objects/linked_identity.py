"""A provider identity an account was linked to, as a plain pair (what the provider knows)."""

from __future__ import annotations

from dataclasses import dataclass

from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId


@dataclass(frozen=True, slots=True)
class LinkedIdentity:
    """``(provider, provider_user_id)``: enough to end the link at the provider."""

    provider: Provider
    provider_user_id: ProviderUserId
