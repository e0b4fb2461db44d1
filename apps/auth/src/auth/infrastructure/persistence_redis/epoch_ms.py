"""Instants as Redis stores them: integer milliseconds since the Unix epoch (UTC)."""

from __future__ import annotations

from datetime import UTC, datetime


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(raw: bytes | str | int) -> datetime:
    return datetime.fromtimestamp(int(raw) / 1000, tz=UTC)
