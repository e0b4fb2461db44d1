"""Port: read the social accounts linked to an account."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from users.domain.entities.social_account import SocialAccount
from users.domain.value_objects.ids import UserId


class SocialAccountQueryGateway(Protocol):
    """Reads linked social accounts."""

    async def list_by_user_id(self, user_id: UserId) -> Sequence[SocialAccount]:
        """Every social account of the user, oldest link first."""
        ...
