"""Revocation events as Redis Stream entries (`kind`, `subject`, `until`, `before` in ms)."""

from __future__ import annotations

from datetime import UTC, datetime

from auth.application.token.ports.blacklist_event_publisher import RevocationEvent, RevocationKind


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(raw: bytes | str | int) -> datetime:
    return datetime.fromtimestamp(int(raw) / 1000, tz=UTC)


def encode_event(event: RevocationEvent) -> dict[str, str | int]:
    fields: dict[str, str | int] = {
        "kind": event.kind.value,
        "subject": event.subject,
        "until": to_ms(event.until),
    }
    if event.before is not None:
        fields["before"] = to_ms(event.before)
    return fields


def decode_event(fields: dict[bytes, bytes]) -> RevocationEvent:
    """The event of a stream entry; raises KeyError/ValueError on a malformed one."""
    before = fields.get(b"before")
    return RevocationEvent(
        kind=RevocationKind(fields[b"kind"].decode()),
        subject=fields[b"subject"].decode(),
        until=from_ms(fields[b"until"]),
        before=from_ms(before) if before is not None else None,
    )
