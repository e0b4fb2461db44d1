"""Query: the caller's linked provider accounts."""

from __future__ import annotations

from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.user_query_gateway import UserQueryGateway
from users.application.identity.dto.identity import SocialAccountView
from users.domain.value_objects.ids import UserId


class ListSocialAccountsQuery:
    """Every provider account linked to the caller's account, oldest link first: its
    provider, the e-mail the provider reported (and whether it verified it), when it
    was linked and last used to sign in. The provider user ids are not shown.

    :raises UserNotFoundError: the account does not exist.
    """

    def __init__(self, users: UserQueryGateway, social_accounts: SocialAccountQueryGateway) -> None:
        self._users = users
        self._social_accounts = social_accounts

    async def execute(self, user_id: UserId) -> list[SocialAccountView]:
        if not await self._users.exists(user_id):
            raise UserNotFoundError(user_id)
        return [
            SocialAccountView(
                provider=account.provider.value,
                email=None if account.email is None else account.email.value,
                email_verified=account.email_verified,
                linked_at=account.created_at,
                last_login_at=account.last_login_at,
            )
            for account in await self._social_accounts.list_by_user_id(user_id)
        ]
