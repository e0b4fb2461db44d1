"""Requests and responses of the admin use cases."""

from __future__ import annotations

from dataclasses import dataclass

from users.domain.value_objects.account_status import AccountStatus
from users.domain.value_objects.ids import UserId


@dataclass(frozen=True, slots=True)
class AdminAccountRequest:
    """``admin``: the name of the credential the call was authenticated with."""

    admin: str
    user_id: UserId


@dataclass(frozen=True, slots=True)
class AdminAccountResponse:
    """The account's status after the call; ``changed`` is false when it already was so."""

    user_id: UserId
    status: AccountStatus
    changed: bool
