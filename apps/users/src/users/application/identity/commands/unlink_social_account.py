"""Command: the owner unlinks one of their provider accounts."""

from __future__ import annotations

from datetime import timedelta

from kernel.clock import Clock
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.identity.dto.identity import UnlinkSocialAccountRequest
from users.application.identity.exceptions.identity import (
    LastLoginMethodError,
    ReauthenticationRequiredError,
    SocialAccountNotFoundError,
)
from users.application.identity.ports.social_account_command_gateway import (
    SocialAccountCommandGateway,
)
from users.domain.value_objects.provider import Provider


class UnlinkSocialAccountInteractor:
    """Removes the caller's account of ``provider``.

    Rules:
    - The caller's session must have signed in within the recent window (the access
      token's ``auth_time``, which refreshes keep; a token without it counts as too
      old): else REAUTHENTICATION_REQUIRED, and the client signs in again.
    - The account is locked, so concurrent unlinks of one account run one after another
      and can never leave it without a login method.
    - The last login method cannot go: LAST_LOGIN_METHOD (delete the account instead).
    - Sessions signed in through the provider are not ended: the owner, signed in right
      now, chose this; ``DELETE /api/v1/auth/sessions/{sid}`` ends any of them. (A
      provider's own unlink notice does end them.)

    :raises ReauthenticationRequiredError: the session signed in too long ago.
    :raises InvalidProviderError: the provider name is not valid.
    :raises UserNotFoundError: the account does not exist.
    :raises SocialAccountNotFoundError: no account of this provider is linked.
    :raises LastLoginMethodError: it is the account's only login method.
    """

    def __init__(
        self,
        users: UserCommandGateway,
        social_accounts: SocialAccountCommandGateway,
        linked_accounts: SocialAccountQueryGateway,
        transaction: TransactionManager,
        clock: Clock,
        recent_sign_in: timedelta,
    ) -> None:
        self._users = users
        self._social_accounts = social_accounts
        self._linked_accounts = linked_accounts
        self._transaction = transaction
        self._clock = clock
        self._recent = recent_sign_in

    async def execute(self, request: UnlinkSocialAccountRequest) -> None:
        signed_in_at = request.signed_in_at
        if signed_in_at is None or self._clock.now() - signed_in_at > self._recent:
            raise ReauthenticationRequiredError
        provider = Provider(request.provider)
        user = await self._users.get_for_update(request.user_id)
        if user is None:
            raise UserNotFoundError(request.user_id)
        accounts = await self._linked_accounts.list_by_user_id(user.id)
        unlinked = [account for account in accounts if account.provider == provider]
        if not unlinked:
            raise SocialAccountNotFoundError
        if len(unlinked) == len(accounts):
            raise LastLoginMethodError
        for account in unlinked:
            await self._social_accounts.delete(account)
        await self._transaction.commit()
