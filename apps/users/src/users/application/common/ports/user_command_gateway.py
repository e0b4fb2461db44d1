"""Port: change accounts."""

from __future__ import annotations

from typing import Protocol

from users.domain.entities.user import User
from users.domain.value_objects.ids import UserId


class UserCommandGateway(Protocol):
    """Adds, loads-for-change and deletes accounts in the current transaction.

    Changes to an account loaded here are saved when the transaction commits.
    """

    def add(self, user: User) -> None:
        """Stage a new account."""
        ...

    async def get_for_update(self, user_id: UserId) -> User | None:
        """The account, locked until the transaction ends; None when it does not exist."""
        ...

    async def delete(self, user: User) -> None:
        """Delete the account with its social accounts and characters."""
        ...
