"""Revocation stream entries: `kind`, `subject`, `until`, `before` (in ms)."""

from __future__ import annotations

from auth.application.token.ports.blacklist_event_publisher import RevocationEvent, RevocationKind
from auth.infrastructure.persistence_redis.epoch_ms import from_ms


def decode_event(fields: dict[bytes, bytes]) -> RevocationEvent:
    """The event of a stream entry; raises KeyError/ValueError on a malformed one."""
    before = fields.get(b"before")
    return RevocationEvent(
        kind=RevocationKind(fields[b"kind"].decode()),
        subject=fields[b"subject"].decode(),
        until=from_ms(fields[b"until"]),
        before=from_ms(before) if before is not None else None,
    )
