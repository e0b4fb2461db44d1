"""Command: a provider ended a link (its unlink notice, which auth verified and relays)."""

from __future__ import annotations

from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.identity.dto.identity import EndedIdentityLink, IdentityKey
from users.application.identity.exceptions.identity import IdentityNotFoundError
from users.application.identity.ports.social_account_command_gateway import (
    SocialAccountCommandGateway,
)
from users.application.lifecycle.commands.request_deletion import (
    RequestAccountDeletionInteractor,
)
from users.application.lifecycle.dto.lifecycle import RequestDeletionRequest
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId


class EndIdentityLinkInteractor:
    """Ends the link of ``(provider, provider_user_id)``.

    Rules:
    - The identity's account is locked; its social account is removed.
    - An account for which it was the last login method is deleted instead, by the very
      use case of ``DELETE /me`` (in the same transaction): it is pending deletion for the
      grace period (``user.deletion_requested``), then purged with its social accounts
      (``user.purged``); an account pending already keeps its date.
    - Idempotent: an identity no account has (never linked, already ended, or its
      account deleted meanwhile) is IDENTITY_NOT_FOUND, and nothing changes.

    :raises InvalidProviderError: the provider name is not valid.
    :raises InvalidProviderUserIdError: the provider user id is empty or too long.
    :raises IdentityNotFoundError: no account has this identity.
    """

    def __init__(
        self,
        users: UserCommandGateway,
        social_accounts: SocialAccountCommandGateway,
        linked_accounts: SocialAccountQueryGateway,
        transaction: TransactionManager,
        request_deletion: RequestAccountDeletionInteractor,
    ) -> None:
        self._users = users
        self._social_accounts = social_accounts
        self._linked_accounts = linked_accounts
        self._transaction = transaction
        self._request_deletion = request_deletion

    async def execute(self, request: IdentityKey) -> EndedIdentityLink:
        provider = Provider(request.provider)
        provider_user_id = ProviderUserId(request.provider_user_id)
        account = await self._social_accounts.get_by_identity(provider, provider_user_id)
        if account is None:
            raise IdentityNotFoundError
        user = await self._users.get_for_update(account.user_id)
        accounts = [] if user is None else await self._linked_accounts.list_by_user_id(user.id)
        if user is None or account.id not in {linked.id for linked in accounts}:
            raise IdentityNotFoundError  # ended or deleted while we waited for the lock
        if len(accounts) == 1:
            await self._request_deletion.execute(RequestDeletionRequest(user.id))
            return EndedIdentityLink(user.id, user_deleted=True)
        await self._social_accounts.delete(account)
        await self._transaction.commit()
        return EndedIdentityLink(user.id, user_deleted=False)
