"""Time as a port, so rules that depend on "now" are testable without sleeping
(tests use `testkit.clock.ManualClock`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Source of the current time (always timezone-aware UTC)."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        ...


class SystemClock(Clock):
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)
