"""Port: changes auth asks the users service to make."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from auth.application.users.dto.identity import ExternalIdentity, UserAccount


class UserCommandGateway(Protocol):
    """Identity get-or-create and login records, over the users internal API."""

    async def get_or_create(self, identity: ExternalIdentity) -> UserAccount:
        """The user linked to ``identity``, created on first sight. Idempotent:
        two concurrent first logins get the same user.

        :raises AccountPendingDeletionError: the account waits for its purge (with its
            id and purge date).
        :raises AccountDisabledError: an administrator disabled the account.
        :raises UserServiceUnavailableError: the users service did not answer, or its
            circuit is open.
        :raises UserServiceRejectedError: it answered this request with an error.
        """
        ...

    async def record_login(self, user_id: UUID, provider: str) -> None:
        """Tell the users service that ``user_id`` logged in through ``provider``.

        :raises AccountPendingDeletionError, AccountDisabledError: the account's status
            changed since ``get_or_create``.
        :raises UserServiceUnavailableError: the users service did not answer, or its
            circuit is open.
        :raises UserServiceRejectedError: it answered this request with an error.
        """
        ...
