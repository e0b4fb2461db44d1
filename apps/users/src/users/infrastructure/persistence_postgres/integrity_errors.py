"""Turn an IntegrityError on a named constraint into the domain error it means."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.exc import IntegrityError

from kernel.errors import AppError
from users.application.common.exceptions.user_not_found import UserNotFoundError
from users.domain.exceptions.conflict import (
    CharacterAlreadyOwnedError,
    SocialAccountAlreadyLinkedError,
    UserAlreadyExistsError,
)
from users.infrastructure.persistence_postgres.constraints import (
    FK_SOCIAL_ACCOUNTS_USER,
    FK_USER_CHARACTERS_USER,
    PK_ACCOUNTS,
    UQ_SOCIAL_ACCOUNTS_IDENTITY,
    UQ_USER_CHARACTERS_USER_CODE,
)

CONSTRAINT_ERRORS: Mapping[str, Callable[[], AppError]] = {
    PK_ACCOUNTS: UserAlreadyExistsError,
    UQ_SOCIAL_ACCOUNTS_IDENTITY: SocialAccountAlreadyLinkedError,
    FK_SOCIAL_ACCOUNTS_USER: UserNotFoundError,
    UQ_USER_CHARACTERS_USER_CODE: CharacterAlreadyOwnedError,
    FK_USER_CHARACTERS_USER: UserNotFoundError,
}


def constraint_name(error: IntegrityError) -> str | None:
    """The violated constraint's name as asyncpg reports it (None if unknown)."""
    cause: BaseException | None = error.orig
    while cause is not None:
        name = getattr(cause, "constraint_name", None)
        if isinstance(name, str):
            return name
        cause = cause.__cause__
    return None


def domain_error_for(error: IntegrityError) -> AppError | None:
    """The domain error a violated constraint means, or None for an unknown one."""
    factory = CONSTRAINT_ERRORS.get(constraint_name(error) or "")
    return factory() if factory else None
