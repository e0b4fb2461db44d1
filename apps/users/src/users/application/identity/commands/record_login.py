"""Command: record that a user logged in (auth calls it after issuing tokens)."""

from __future__ import annotations

from kernel.clock import Clock
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.identity.dto.identity import RecordLoginRequest
from users.application.identity.ports.social_account_command_gateway import (
    SocialAccountCommandGateway,
)
from users.domain.value_objects.provider import Provider


class RecordLoginInteractor:
    """Sets ``last_login_at`` of the account and of its social accounts with that
    provider to now, in one transaction.

    :raises InvalidProviderError: the provider name is not valid.
    :raises UserNotFoundError: the account does not exist.
    :raises AccountPendingDeletionError, AccountDisabledError: the account is not active
        (its status changed since the identity was looked up).
    """

    def __init__(
        self,
        users: UserCommandGateway,
        social_accounts: SocialAccountCommandGateway,
        transaction: TransactionManager,
        clock: Clock,
    ) -> None:
        self._users = users
        self._social_accounts = social_accounts
        self._transaction = transaction
        self._clock = clock

    async def execute(self, request: RecordLoginRequest) -> None:
        provider = Provider(request.provider)
        user = await self._users.get_for_update(request.user_id)
        if user is None:
            raise UserNotFoundError(request.user_id)
        user.ensure_active()
        now = self._clock.now()
        user.record_login(now)
        for account in await self._social_accounts.list_by_user_and_provider(user.id, provider):
            account.record_login(now)
        await self._transaction.commit()
