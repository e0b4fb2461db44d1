"""Port: reads auth makes from the users service."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from auth.application.users.dto.identity import UserAccount


class UserQueryGateway(Protocol):
    """Looks users up over the users internal API."""

    async def get(self, user_id: UUID) -> UserAccount | None:
        """The user, or None when the users service says it does not exist.

        :raises UserServiceUnavailableError: the users service did not answer usefully.
        """
        ...
