"""A users' stream entry as auth reads it (README "User events")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from auth.application.audit.dto.erase_login_audit import EraseLoginAuditRequest
from auth.application.token.dto.token import RevokeAllRequest

USER_DELETED = "user.deleted"  # written by users before the grace period; still honoured
USER_DELETION_REQUESTED = "user.deletion_requested"
USER_DISABLED = "user.disabled"
USER_PURGED = "user.purged"
REVOKING = frozenset({USER_DELETED, USER_DELETION_REQUESTED, USER_DISABLED, USER_PURGED})
"""Types after which the user holds no session: each one runs revoke-all."""


class PoisonMessageError(ValueError):
    """The message can never be applied (missing or malformed fields)."""


@dataclass(frozen=True, slots=True)
class UserEvent:
    """`user_id` is None when absent or not a UUID (only a type no consumer needs it
    for gets that far). `occurred_at` is None when absent or unreadable (it only feeds
    the lag metric). `identities` is the raw JSON list of the account's provider
    identities, when the event carries one (a purge does)."""

    event_type: str
    event_id: str | None
    user_id: UUID | None
    occurred_at: datetime | None
    identities: str | None = None

    @property
    def revoke_all(self) -> RevokeAllRequest | None:
        """The revoke-all this event asks for (deletion requested, disabled, purged)."""
        if self.event_type not in REVOKING or self.user_id is None:
            return None
        return RevokeAllRequest(user_id=self.user_id)

    @property
    def erase_login_audit(self) -> EraseLoginAuditRequest | None:
        """The erasure of the user's personal fields in the login audit (purged only)."""
        if self.event_type != USER_PURGED or self.user_id is None:
            return None
        return EraseLoginAuditRequest(user_id=self.user_id)


def parse_user_event(fields: dict[bytes, bytes]) -> UserEvent:
    """The event of a stream entry; raises PoisonMessageError when it has no type, or is
    of a type auth acts on without a valid `user_id`."""
    raw_type = fields.get(b"type")
    if raw_type is None:
        raise PoisonMessageError("the event has no type")
    event_type = raw_type.decode(errors="replace")
    user_id = _uuid(fields.get(b"user_id"))
    if event_type in REVOKING and user_id is None:
        raise PoisonMessageError(f"{event_type} without a valid user_id")
    return UserEvent(
        event_type,
        _text(fields.get(b"event_id")),
        user_id=user_id,
        occurred_at=_instant(fields.get(b"occurred_at")),
        identities=_text(fields.get(b"identities")),
    )


def _text(raw: bytes | None) -> str | None:
    return raw.decode(errors="replace") if raw is not None else None


def _uuid(raw: bytes | None) -> UUID | None:
    try:
        return None if raw is None else UUID(raw.decode())
    except ValueError:
        return None


def _instant(raw: bytes | None) -> datetime | None:
    """ISO 8601, read as UTC when it names no zone; None when absent or unreadable."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.decode())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
