"""Port: read what a profile is built from, in one step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.value_objects.ids import UserId


class ProfileQueryGateway(Protocol):
    """Reads an account together with its social accounts, without locking."""

    async def get_with_social_accounts(
        self, user_id: UserId
    ) -> tuple[User, Sequence[SocialAccount]] | None:
        """The account and every social account of it (oldest link first), or None
        when the account does not exist."""
        ...
