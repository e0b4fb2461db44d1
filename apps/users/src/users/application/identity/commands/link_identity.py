"""Command: link a provider account to an existing account (auth calls it when a signed-in
user finishes a link)."""

from __future__ import annotations

from kernel.clock import Clock
from kernel.ids import IdGenerator
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.identity.dto.identity import LinkIdentityRequest, LinkIdentityResult
from users.application.identity.exceptions.identity import (
    AccountAlreadyLinkedError,
    ProviderAlreadyLinkedError,
)
from users.application.identity.ports.social_account_command_gateway import (
    SocialAccountCommandGateway,
)
from users.application.identity.services.provider_email import provider_email
from users.domain.entities.social_account import SocialAccount
from users.domain.value_objects.ids import SocialAccountId
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId


class LinkIdentityInteractor:
    """Links ``(provider, provider_user_id)`` to the account, never by e-mail.

    Rules:
    - The account is locked first, so links and unlinks of one account run one after
      another.
    - Already this account's: nothing changes (``linked`` false), so a repeated call is
      harmless.
    - Another account's: ACCOUNT_ALREADY_LINKED, and nothing changes. Also when another
      account claims the identity concurrently (its insert wins the unique key).
    - One account per provider: another account of the provider already linked here is
      PROVIDER_ALREADY_LINKED (unlinking names a provider, so it must name one account).
    - The social account keeps what the provider reported (e-mail, verified flag, name,
      image); the account's own e-mail, name and image do not change.

    :raises InvalidProviderError: the provider name is not valid.
    :raises InvalidProviderUserIdError: the provider user id is empty or too long.
    :raises UserNotFoundError: the account does not exist.
    :raises AccountAlreadyLinkedError: the identity belongs to another account.
    :raises ProviderAlreadyLinkedError: the account has another account of the provider.
    """

    def __init__(
        self,
        users: UserCommandGateway,
        social_accounts: SocialAccountCommandGateway,
        transaction: TransactionManager,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._users = users
        self._social_accounts = social_accounts
        self._transaction = transaction
        self._clock = clock
        self._ids = ids

    async def execute(self, request: LinkIdentityRequest) -> LinkIdentityResult:
        identity = request.identity
        provider = Provider(identity.provider)
        provider_user_id = ProviderUserId(identity.provider_user_id)
        user = await self._users.get_for_update(request.user_id)
        if user is None:
            raise UserNotFoundError(request.user_id)
        existing = await self._social_accounts.get_by_identity(provider, provider_user_id)
        if existing is not None:
            if existing.user_id != user.id:
                raise AccountAlreadyLinkedError
            return LinkIdentityResult(user.id, provider.value, linked=False)
        if await self._social_accounts.list_by_user_and_provider(user.id, provider):
            raise ProviderAlreadyLinkedError
        now = self._clock.now()
        email = provider_email(identity.email)
        account = SocialAccount(
            SocialAccountId(self._ids.new_id()),
            user_id=user.id,
            provider=provider,
            provider_user_id=provider_user_id,
            email=email,
            email_verified=identity.email_verified and email is not None,
            name=identity.nickname,
            profile_image_url=identity.profile_image_url,
            created_at=now,
            updated_at=now,
            last_login_at=None,
        )
        if not await self._social_accounts.add_if_absent(account):
            # Another account won the key meanwhile (not this one: it is locked by us).
            raise AccountAlreadyLinkedError
        await self._transaction.commit()
        return LinkIdentityResult(user.id, provider.value, linked=True)
