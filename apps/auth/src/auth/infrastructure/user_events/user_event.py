"""A users' stream entry as auth reads it (README "User events"), and what auth does about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from auth.application.token.dto.token import RevokeAllRequest

USER_DELETED = "user.deleted"


class PoisonMessageError(ValueError):
    """The message can never be applied (missing or malformed fields)."""


@dataclass(frozen=True, slots=True)
class UserEvent:
    """`revoke_all` is the command a `user.deleted` asks for; None for any other type,
    which auth acknowledges and ignores. `occurred_at` is None when absent or unreadable
    (it only feeds the lag metric)."""

    event_type: str
    event_id: str | None
    revoke_all: RevokeAllRequest | None
    occurred_at: datetime | None


def parse_user_event(fields: dict[bytes, bytes]) -> UserEvent:
    """The event of a stream entry; raises PoisonMessageError when it has no type, or is
    a `user.deleted` without a valid `user_id`."""
    raw_type = fields.get(b"type")
    if raw_type is None:
        raise PoisonMessageError("the event has no type")
    event_type = raw_type.decode()
    event_id = _text(fields.get(b"event_id"))
    if event_type != USER_DELETED:
        return UserEvent(event_type, event_id, revoke_all=None, occurred_at=None)
    try:
        user_id = UUID(fields[b"user_id"].decode())
    except (KeyError, ValueError) as exc:
        raise PoisonMessageError("user.deleted without a valid user_id") from exc
    return UserEvent(
        event_type,
        event_id,
        revoke_all=RevokeAllRequest(user_id=user_id),
        occurred_at=_instant(fields.get(b"occurred_at")),
    )


def _text(raw: bytes | None) -> str | None:
    return raw.decode(errors="replace") if raw is not None else None


def _instant(raw: bytes | None) -> datetime | None:
    """ISO 8601, read as UTC when it names no zone; None when absent or unreadable."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.decode())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
