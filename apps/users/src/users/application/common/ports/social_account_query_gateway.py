"""Port: read the social accounts linked to an account."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from users.domain.entities.social_account import SocialAccount
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId


class SocialAccountQueryGateway(Protocol):
    """Reads linked social accounts."""

    async def list_by_user_id(self, user_id: UserId) -> Sequence[SocialAccount]:
        """Every social account of the user, oldest link first."""
        ...

    async def find_user_id(
        self, provider: Provider, provider_user_id: ProviderUserId
    ) -> UserId | None:
        """The account this (provider, provider user id) is linked to, or None."""
        ...
