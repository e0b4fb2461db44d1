"""The one error every feature shares: the account does not exist."""

from __future__ import annotations

from uuid import UUID

from kernel.errors import NotFoundError
from users.application.common.exceptions.base import ApplicationError


class UserNotFoundError(ApplicationError, NotFoundError):
    code = "USER_NOT_FOUND"
    default_detail = "The user does not exist."

    def __init__(self, user_id: UUID | None = None) -> None:
        super().__init__(f"User {user_id} does not exist." if user_id else None)
