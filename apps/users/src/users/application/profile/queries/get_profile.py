"""Query: the caller's own profile."""

from __future__ import annotations

from users.application.common.dto.user_profile import UserProfile
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.user_query_gateway import UserQueryGateway
from users.application.common.services.user_profile_builder import UserProfileBuilder
from users.application.profile.dto.profile import GetProfileRequest


class GetProfileQuery:
    """Reads the account and its social accounts and builds the profile. Never writes.

    :raises UserNotFoundError: the account does not exist (deleted since login).
    """

    def __init__(
        self,
        users: UserQueryGateway,
        social_accounts: SocialAccountQueryGateway,
        builder: UserProfileBuilder,
    ) -> None:
        self._users = users
        self._social_accounts = social_accounts
        self._builder = builder

    async def execute(self, request: GetProfileRequest) -> UserProfile:
        user = await self._users.get_by_id(request.user_id)
        if user is None:
            raise UserNotFoundError(request.user_id)
        accounts = await self._social_accounts.list_by_user_id(request.user_id)
        return self._builder.build(user, accounts, request.provider)
