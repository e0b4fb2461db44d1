"""How an account is named on screen: display name and nickname resolution."""

from __future__ import annotations

from typing import ClassVar

from users.domain.entities.user import User
from users.domain.exceptions.validation import InvalidNicknameError
from users.domain.value_objects.nickname import Nickname


class UserNameResolver:
    """Pure rules, no state.

    Display name: the user's nickname, else the provider's name, else the local part
    of the email, else ``이코 사용자-<last 6 hex digits of the id>``.
    Nickname: the user's nickname, else the display name cut to a valid nickname.
    """

    FALLBACK_PREFIX: ClassVar[str] = "이코 사용자-"

    def resolve_display_name(self, user: User) -> str:
        if user.nickname is not None:
            return user.nickname.value
        if user.name:
            return user.name
        if user.email is not None:
            return user.email.local_part
        return self._fallback(user)

    def resolve_nickname(self, user: User, display_name: str) -> str:
        if user.nickname is not None:
            return user.nickname.value
        try:
            return Nickname.parse(display_name[: Nickname.MAX_LEN]).value
        except InvalidNicknameError:
            return self._fallback(user)

    def _fallback(self, user: User) -> str:
        return f"{self.FALLBACK_PREFIX}{user.id.hex[-6:]}"
