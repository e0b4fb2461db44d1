"""Port: link and update social accounts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from users.domain.entities.social_account import SocialAccount
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId


class SocialAccountCommandGateway(Protocol):
    """Social accounts in the current transaction; changes to the ones loaded here
    are saved on commit."""

    async def add_if_absent(self, account: SocialAccount) -> bool:
        """Insert the account unless ``(provider, provider_user_id)`` is taken; True
        when inserted. A concurrent uncommitted insert of the same key is waited for,
        so at most one of racing callers gets True. Its account row may be added later
        in the same transaction."""
        ...

    async def get_by_identity(
        self, provider: Provider, provider_user_id: ProviderUserId
    ) -> SocialAccount | None:
        """The social account with this key, or None."""
        ...

    async def list_by_user_and_provider(
        self, user_id: UserId, provider: Provider
    ) -> Sequence[SocialAccount]:
        """The user's social accounts with this provider."""
        ...

    async def delete(self, account: SocialAccount) -> None:
        """Remove the social account (the link ends when the transaction commits)."""
        ...
