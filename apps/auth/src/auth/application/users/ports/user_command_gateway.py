"""Port: changes auth asks the users service to make."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from auth.application.users.dto.identity import EndedLink, ExternalIdentity, UserAccount


class UserCommandGateway(Protocol):
    """Identity get-or-create, login records, links and their end, over the users
    internal API."""

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

    async def link_identity(self, user_id: UUID, identity: ExternalIdentity) -> None:
        """Link ``identity`` to ``user_id``. Idempotent: an identity already linked to
        this user is left as it is. Never by e-mail: only the (provider, provider user
        id) key counts.

        :raises AccountAlreadyLinkedError: another user has this identity; nothing changed.
        :raises ProviderAlreadyLinkedError: the user has another account of the provider.
        :raises UserServiceUnavailableError: the users service did not answer, or its
            circuit is open.
        :raises UserServiceRejectedError: it answered this request with another error
            (an unknown user, a profile it cannot take).
        """
        ...

    async def end_identity_link(self, provider: str, provider_user_id: str) -> EndedLink | None:
        """The provider ended this link: unlink it; a user left with no login method is
        deleted through the ordinary deletion. None when no user has the identity
        (never linked, or already ended): idempotent.

        :raises UserServiceUnavailableError: the users service did not answer, or its
            circuit is open.
        :raises UserServiceRejectedError: it answered this request with an error.
        """
        ...
