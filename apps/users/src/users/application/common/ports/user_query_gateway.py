"""Port: read accounts."""

from __future__ import annotations

from typing import Protocol

from users.domain.entities.user import User
from users.domain.value_objects.ids import UserId


class UserQueryGateway(Protocol):
    """Reads accounts without locking them."""

    async def get_by_id(self, user_id: UserId) -> User | None:
        """The account, or None when it does not exist."""
        ...

    async def exists(self, user_id: UserId) -> bool:
        """Whether the account exists."""
        ...
