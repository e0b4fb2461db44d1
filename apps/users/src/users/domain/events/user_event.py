"""Every event an account publishes (through the outbox)."""

from __future__ import annotations

from users.domain.events.user_deletion_requested import UserDeletionRequested
from users.domain.events.user_disabled import UserDisabled
from users.domain.events.user_purged import UserPurged

UserEvent = UserDeletionRequested | UserPurged | UserDisabled
