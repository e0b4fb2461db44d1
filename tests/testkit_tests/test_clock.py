"""The test kit's ManualClock (moved out of the kernel: only tests use it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from testkit.clock import ManualClock


def test_manual_clock_moves_only_when_advanced() -> None:
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.now() == clock.now()
    assert clock.advance(1.5) == datetime(2026, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)
    assert clock.advance(timedelta(minutes=1)) == datetime(2026, 1, 1, 0, 1, 1, 500000, tzinfo=UTC)


def test_manual_clock_normalises_to_utc() -> None:
    seoul = timezone(timedelta(hours=9))
    clock = ManualClock(datetime(2026, 1, 1, 9, tzinfo=seoul))
    assert clock.now() == datetime(2026, 1, 1, tzinfo=UTC)
    assert clock.now().tzinfo == UTC


def test_manual_clock_refuses_naive_start_and_going_back() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="backwards"):
        ManualClock().advance(-1)
