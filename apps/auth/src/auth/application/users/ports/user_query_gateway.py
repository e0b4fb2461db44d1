"""Port: what auth asks the users service without changing anything."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID


class UserQueryGateway(Protocol):
    """Reads over the users internal API."""

    async def find_user_by_identity(self, provider: str, provider_user_id: str) -> UUID | None:
        """The user linked to this (provider, provider user id), or None.

        :raises UserServiceUnavailableError: the users service did not answer, or its
            circuit is open.
        :raises UserServiceRejectedError: it answered this request with an error.
        """
        ...
