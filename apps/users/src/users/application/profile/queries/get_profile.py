"""Query: the caller's own profile."""

from __future__ import annotations

from users.application.common.dto.user_profile import UserProfile
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.services.user_profile_builder import UserProfileBuilder
from users.application.profile.dto.profile import GetProfileRequest
from users.application.profile.ports.profile_query_gateway import ProfileQueryGateway


class GetProfileQuery:
    """Reads the account and its social accounts and builds the profile. Never writes.

    :raises UserNotFoundError: the account does not exist (deleted since login).
    """

    def __init__(self, profiles: ProfileQueryGateway, builder: UserProfileBuilder) -> None:
        self._profiles = profiles
        self._builder = builder

    async def execute(self, request: GetProfileRequest) -> UserProfile:
        found = await self._profiles.get_with_social_accounts(request.user_id)
        if found is None:
            raise UserNotFoundError(request.user_id)
        user, accounts = found
        return self._builder.build(user, accounts, request.provider)
