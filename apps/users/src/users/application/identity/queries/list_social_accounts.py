"""Query: the caller's linked provider accounts."""

from __future__ import annotations

from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.identity.dto.identity import SocialAccountView
from users.application.profile.ports.profile_query_gateway import ProfileQueryGateway
from users.domain.value_objects.ids import UserId


class ListSocialAccountsQuery:
    """Every provider account linked to the caller's account, oldest link first: its
    provider, the e-mail the provider reported (and whether it verified it), when it
    was linked and last used to sign in. The provider user ids are not shown.

    :raises UserNotFoundError: the account does not exist.
    """

    def __init__(self, profiles: ProfileQueryGateway) -> None:
        self._profiles = profiles

    async def execute(self, user_id: UserId) -> list[SocialAccountView]:
        found = await self._profiles.get_with_social_accounts(user_id)
        if found is None:
            raise UserNotFoundError(user_id)
        _, accounts = found
        return [
            SocialAccountView(
                provider=account.provider.value,
                email=None if account.email is None else account.email.value,
                email_verified=account.email_verified,
                linked_at=account.created_at,
                last_login_at=account.last_login_at,
            )
            for account in accounts
        ]
