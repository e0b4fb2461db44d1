"""Command: change one's nickname and/or phone number."""

from __future__ import annotations

from kernel.clock import Clock
from users.application.common.dto.user_profile import UserProfile
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.transaction_manager import TransactionManager
from users.application.common.ports.user_command_gateway import UserCommandGateway
from users.application.common.services.user_profile_builder import UserProfileBuilder
from users.application.profile.dto.profile import UpdateProfileRequest
from users.application.profile.exceptions.profile import EmptyProfileChangeError
from users.domain.value_objects.nickname import Nickname
from users.domain.value_objects.phone_number import PhoneNumber


class UpdateProfileInteractor:
    """Validates every given field before touching the account (all or nothing),
    applies them under a row lock, commits, and returns the new profile.

    :raises EmptyProfileChangeError: neither nickname nor phone_number given.
    :raises InvalidNicknameError: the nickname breaks its rules.
    :raises InvalidPhoneNumberError: not a Korean mobile number.
    :raises UserNotFoundError: the account does not exist.
    :raises AccountPendingDeletionError, AccountDisabledError: the account is not active.
    """

    def __init__(
        self,
        users: UserCommandGateway,
        social_accounts: SocialAccountQueryGateway,
        transaction: TransactionManager,
        builder: UserProfileBuilder,
        clock: Clock,
    ) -> None:
        self._users = users
        self._social_accounts = social_accounts
        self._transaction = transaction
        self._builder = builder
        self._clock = clock

    async def execute(self, request: UpdateProfileRequest) -> UserProfile:
        if request.nickname is None and request.phone_number is None:
            raise EmptyProfileChangeError()
        nickname = Nickname.parse(request.nickname) if request.nickname is not None else None
        phone = (
            PhoneNumber.parse(request.phone_number) if request.phone_number is not None else None
        )
        user = await self._users.get_for_update(request.user_id)
        if user is None:
            raise UserNotFoundError(request.user_id)
        user.ensure_active()
        now = self._clock.now()
        if nickname is not None:
            user.change_nickname(nickname, now)
        if phone is not None:
            user.change_phone_number(phone, now)
        accounts = await self._social_accounts.list_by_user_id(user.id)
        await self._transaction.commit()
        return self._builder.build(user, accounts, request.provider)
