"""Errors raised when an account's status forbids what was asked."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from kernel.errors import DomainError


class AccountStatusError(DomainError):
    """The account's status forbids the request (answered 403). ``user_id`` names the
    account when the error is raised about a known one (a sign-in's audit wants it)."""

    user_id: UUID | None = None


class AccountPendingDeletionError(AccountStatusError):
    """The owner asked for deletion: no sign-in until restored. Carries who and when,
    so the sign-in can offer the restore path."""

    code = "ACCOUNT_PENDING_DELETION"
    default_detail = "The account is scheduled for deletion; restore it to sign in."

    def __init__(self, user_id: UUID, purge_after: datetime) -> None:
        super().__init__(f"The account is scheduled for deletion after {purge_after.isoformat()}.")
        self.user_id = user_id
        self.purge_after = purge_after


class AccountDisabledError(AccountStatusError):
    code = "ACCOUNT_DISABLED"
    default_detail = "The account is disabled."

    def __init__(self, user_id: UUID | None = None) -> None:
        super().__init__()
        self.user_id = user_id


class RestoreTicketStaleError(AccountStatusError):
    """The restore ticket comes from a sign-in before the latest deletion request."""

    code = "RESTORE_TICKET_STALE"
    default_detail = "The restore ticket predates the deletion request; sign in again."
