"""The users service refused a sign-in because of the account's status."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from kernel.errors import AuthenticationError


class AccountPendingDeletionError(AuthenticationError):
    """Its owner asked for deletion: the sign-in gets a restore ticket instead of a session."""

    code = "ACCOUNT_PENDING_DELETION"
    default_detail = "The account is scheduled for deletion; restore it to sign in."

    def __init__(self, user_id: UUID, purge_after: datetime) -> None:
        super().__init__(f"The account is scheduled for deletion after {purge_after.isoformat()}.")
        self.user_id = user_id
        self.purge_after = purge_after


class AccountDisabledError(AuthenticationError):
    """An administrator disabled the account; ``user_id`` names it (for the audit)."""

    code = "ACCOUNT_DISABLED"
    default_detail = "The account is disabled."

    def __init__(self, user_id: UUID | None = None) -> None:
        super().__init__()
        self.user_id = user_id
