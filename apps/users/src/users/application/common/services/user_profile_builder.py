"""Builds the profile of an account from the account and its social accounts: pure
logic, no ports. The profile routes and the identity API (auth) both return it."""

from __future__ import annotations

from collections.abc import Sequence

from users.application.common.dto.user_profile import UserProfile
from users.domain.entities.social_account import SocialAccount
from users.domain.entities.user import User
from users.domain.services.user_name_resolver import UserNameResolver


class UserProfileBuilder:
    """Combines an account, its social accounts and the current login's provider.

    Names come from :class:`UserNameResolver`. ``linked_providers`` lists each
    provider once, in the order they were linked. The email is the account's own,
    else the current provider's verified one.
    """

    def __init__(self, names: UserNameResolver) -> None:
        self._names = names

    def build(
        self, user: User, accounts: Sequence[SocialAccount], current_provider: str
    ) -> UserProfile:
        display_name = self._names.resolve_display_name(user)
        ordered = sorted(accounts, key=lambda account: account.created_at)
        linked = tuple(dict.fromkeys(account.provider.value for account in ordered))
        email = user.email or next(
            (
                account.verified_email
                for account in ordered
                if account.provider.value == current_provider and account.verified_email
            ),
            None,
        )
        return UserProfile(
            user_id=user.id,
            display_name=display_name,
            nickname=self._names.resolve_nickname(user, display_name),
            email=email.value if email else None,
            phone_number=user.phone_number.value if user.phone_number else None,
            profile_image_url=user.profile_image_url,
            provider=current_provider,
            linked_providers=linked,
            last_login_at=user.last_login_at,
            created_at=user.created_at,
        )
