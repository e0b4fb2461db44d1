"""Query: one account, for auth."""

from __future__ import annotations

from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.common.ports.user_query_gateway import UserQueryGateway
from users.application.identity.dto.identity import GetUserRequest, UserSummary
from users.application.identity.services.user_summary_builder import UserSummaryBuilder


class GetUserQuery:
    """The account's summary with its linked providers. Never writes.

    :raises UserNotFoundError: the account does not exist.
    """

    def __init__(
        self,
        users: UserQueryGateway,
        social_accounts: SocialAccountQueryGateway,
        summaries: UserSummaryBuilder,
    ) -> None:
        self._users = users
        self._social_accounts = social_accounts
        self._summaries = summaries

    async def execute(self, request: GetUserRequest) -> UserSummary:
        user = await self._users.get_by_id(request.user_id)
        if user is None:
            raise UserNotFoundError(request.user_id)
        accounts = await self._social_accounts.list_by_user_id(user.id)
        return self._summaries.build(user, accounts)
