"""Query: which account a provider identity is linked to (auth asks, for unlink notices)."""

from __future__ import annotations

from users.application.common.ports.social_account_query_gateway import (
    SocialAccountQueryGateway,
)
from users.application.identity.dto.identity import IdentityKey
from users.application.identity.exceptions.identity import IdentityNotFoundError
from users.domain.value_objects.ids import UserId
from users.domain.value_objects.provider import Provider
from users.domain.value_objects.provider_user_id import ProviderUserId


class FindIdentityQuery:
    """The account linked to ``(provider, provider_user_id)``.

    :raises InvalidProviderError: the provider name is not valid.
    :raises InvalidProviderUserIdError: the provider user id is empty or too long.
    :raises IdentityNotFoundError: no account has it.
    """

    def __init__(self, social_accounts: SocialAccountQueryGateway) -> None:
        self._social_accounts = social_accounts

    async def execute(self, request: IdentityKey) -> UserId:
        user_id = await self._social_accounts.find_user_id(
            Provider(request.provider), ProviderUserId(request.provider_user_id)
        )
        if user_id is None:
            raise IdentityNotFoundError
        return user_id
