"""Requests and responses of the lifecycle use cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from users.domain.value_objects.ids import UserId


@dataclass(frozen=True, slots=True)
class RequestDeletionRequest:
    user_id: UserId


@dataclass(frozen=True, slots=True)
class RequestDeletionResponse:
    """``purge_after`` is when the account will be purged; None when it was purged at
    once (a grace period of 0)."""

    purge_after: datetime | None


@dataclass(frozen=True, slots=True)
class RestoreAccountRequest:
    """``ticket``: the restore ticket auth handed out at a sign-in refused as pending."""

    ticket: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class RestoreAccountResponse:
    """``restored`` is false when the account was active already (a repeated restore)."""

    user_id: UserId
    restored: bool


@dataclass(frozen=True, slots=True)
class PurgeDueAccountsRequest:
    """At most ``limit`` accounts are purged by one call (one transaction)."""

    limit: int
