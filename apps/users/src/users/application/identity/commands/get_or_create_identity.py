"""Command: find or create the account of an OAuth identity (auth calls it at login)."""

from __future__ import annotations

from typing import ClassVar

from kernel.clock import Clock
from kernel.ids import IdGenerator
from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.common.services.user_profile_builder import UserProfileBuilder
from users.application.identity.dto.default_character import DefaultCharacter
from users.application.identity.dto.identity import GetOrCreateIdentityRequest, IdentityResult
from users.application.identity.exceptions.identity import IdentityContendedError
from users.application.identity.ports.social_account_command_gateway import (
    SocialAccountCommandGateway,
)
from users.application.identity.ports.user_character_command_gateway import (
    UserCharacterCommandGateway,
)
from users.application.identity.services.provider_email import provider_email
from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.entities.user_character import UserCharacter
from users.domain.value_objects.character_code import CharacterCode
from users.domain.value_objects.character_status import CharacterStatus
from users.domain.value_objects.email import Email
from users.domain.value_objects.ids import CharacterId, SocialAccountId, UserCharacterId, UserId
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId


class GetOrCreateIdentityInteractor:
    """Idempotent get-or-create keyed by ``(provider, provider_user_id)``.

    Rules:
    - An existing identity returns its account (``created`` false) after refreshing
      what the provider reports: the social account's email, verified flag, name and
      image; the account's name and image, and its email only while it has none and
      the provider verified the new one.
    - A new identity creates, in one transaction, the account, the social account and
      the default character (``created`` true).
    - An identity is never attached to an existing account by email, verified or not.
    - Racing first logins of one identity: the social account insert skips on its
      unique key (waiting for a concurrent insert), so one caller creates and the
      others read the winner's account. Nobody sees a conflict.
    - An email the provider sends in a shape that is not an email is dropped.
    - An account that is not active (deletion requested, or disabled) does not sign
      in: nothing is refreshed and the error says why (the pending one with its id
      and purge date, so auth can offer the restore path).

    :raises InvalidProviderError: the provider name is not valid.
    :raises InvalidProviderUserIdError: the provider user id is empty or too long.
    :raises AccountPendingDeletionError: its owner asked for deletion (not restored).
    :raises AccountDisabledError: an administrator disabled it.
    :raises IdentityContendedError: the identity kept vanishing between reads (its
        account deleted concurrently, every attempt).
    """

    ATTEMPTS: ClassVar[int] = 3

    def __init__(
        self,
        users: UserCommandGateway,
        social_accounts: SocialAccountCommandGateway,
        linked_accounts: SocialAccountQueryGateway,
        characters: UserCharacterCommandGateway,
        transaction: TransactionManager,
        profiles: UserProfileBuilder,
        default_character: DefaultCharacter,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._users = users
        self._social_accounts = social_accounts
        self._linked_accounts = linked_accounts
        self._characters = characters
        self._transaction = transaction
        self._profiles = profiles
        self._default_character = default_character
        self._clock = clock
        self._ids = ids

    async def execute(self, request: GetOrCreateIdentityRequest) -> IdentityResult:
        provider = Provider(request.provider)
        provider_user_id = ProviderUserId(request.provider_user_id)
        email = provider_email(request.email)
        for _ in range(self.ATTEMPTS):
            account = await self._social_accounts.get_by_identity(provider, provider_user_id)
            if account is None:
                created = await self._create(request, provider, provider_user_id, email)
                if created is not None:
                    return created
                continue
            user = await self._users.get_for_update(account.user_id)
            if user is None:
                continue
            user.ensure_active()
            now = self._clock.now()
            account.refresh_profile(
                email=email,
                email_verified=request.email_verified,
                name=request.nickname,
                profile_image_url=request.profile_image_url,
                now=now,
            )
            user.refresh_from_provider(
                name=request.nickname,
                verified_email=account.verified_email,
                profile_image_url=request.profile_image_url,
                now=now,
            )
            accounts = await self._linked_accounts.list_by_user_id(user.id)
            await self._transaction.commit()
            return IdentityResult(
                user=self._profiles.build(user, accounts, provider.value), created=False
            )
        raise IdentityContendedError()

    async def _create(
        self,
        request: GetOrCreateIdentityRequest,
        provider: Provider,
        provider_user_id: ProviderUserId,
        email: Email | None,
    ) -> IdentityResult | None:
        now = self._clock.now()
        verified = request.email_verified and email is not None
        user = User.register(
            UserId(self._ids.new_id()),
            name=request.nickname,
            email=email if verified else None,
            profile_image_url=request.profile_image_url,
            now=now,
        )
        account = SocialAccount(
            SocialAccountId(self._ids.new_id()),
            user_id=user.id,
            provider=provider,
            provider_user_id=provider_user_id,
            email=email,
            email_verified=verified,
            name=request.nickname,
            profile_image_url=request.profile_image_url,
            created_at=now,
            updated_at=now,
            last_login_at=None,
        )
        if not await self._social_accounts.add_if_absent(account):
            return None
        self._users.add(user)
        default = self._default_character
        self._characters.add(
            UserCharacter(
                UserCharacterId(self._ids.new_id()),
                user_id=user.id,
                character_id=CharacterId(default.character_id),
                code=CharacterCode(default.code),
                name=default.name,
                type_=default.type,
                dialog=default.dialog,
                source=default.source,
                status=CharacterStatus.OWNED,
                acquired_at=now,
                updated_at=now,
            )
        )
        await self._transaction.commit()
        return IdentityResult(
            user=self._profiles.build(user, [account], provider.value), created=True
        )
