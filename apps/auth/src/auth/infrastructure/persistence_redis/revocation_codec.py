"""Revocation stream entries (`kind`, `subject`, `until`, `before` in ms) and ms times."""

from __future__ import annotations

from datetime import UTC, datetime

from auth.application.token.ports.blacklist_event_publisher import RevocationEvent, RevocationKind


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(raw: bytes | str | int) -> datetime:
    return datetime.fromtimestamp(int(raw) / 1000, tz=UTC)


def decode_event(fields: dict[bytes, bytes]) -> RevocationEvent:
    """The event of a stream entry; raises KeyError/ValueError on a malformed one."""
    before = fields.get(b"before")
    return RevocationEvent(
        kind=RevocationKind(fields[b"kind"].decode()),
        subject=fields[b"subject"].decode(),
        until=from_ms(fields[b"until"]),
        before=from_ms(before) if before is not None else None,
    )
