"""Builds the account summary auth receives: pure logic, no ports."""

from __future__ import annotations

from collections.abc import Sequence

from users.application.identity.dto.identity import UserSummary
from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.services.user_name_resolver import UserNameResolver


class UserSummaryBuilder:
    """Names come from :class:`UserNameResolver`; ``providers`` lists each linked
    provider once, in the order linked."""

    def __init__(self, names: UserNameResolver) -> None:
        self._names = names

    def build(self, user: User, accounts: Sequence[SocialAccount]) -> UserSummary:
        display_name = self._names.resolve_display_name(user)
        ordered = sorted(accounts, key=lambda account: account.created_at)
        return UserSummary(
            user_id=user.id,
            nickname=self._names.resolve_nickname(user, display_name),
            display_name=display_name,
            email=user.email.value if user.email else None,
            phone_number=user.phone_number.value if user.phone_number else None,
            profile_image_url=user.profile_image_url,
            providers=tuple(dict.fromkeys(account.provider.value for account in ordered)),
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )
