"""A circuit breaker: pure logic over a clock, no I/O.

closed --(N consecutive failures)--> open --(reset timeout)--> half-open
half-open lets one trial call through: success closes, failure re-opens. A
trial that never reports (its caller was cancelled) stops blocking after another
reset timeout, when a new trial may go.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from kernel.clock import Clock


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Stops calling a failing dependency for a while, then probes it with one call.

    Single event loop only (no locks needed: no awaits inside).
    """

    def __init__(self, *, failure_threshold: int, reset_timeout: timedelta, clock: Clock) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self._threshold = failure_threshold
        self._reset_timeout = reset_timeout
        self._clock = clock
        self._failures = 0
        self._opened_at: datetime | None = None
        self._trial_started_at: datetime | None = None

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock.now() - self._opened_at >= self._reset_timeout:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """May a call go out now? In half-open, one caller gets True until that
        trial reports its outcome (or a reset timeout passes without one)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.OPEN:
            return False
        now = self._clock.now()
        if self._trial_started_at is None or now - self._trial_started_at >= self._reset_timeout:
            self._trial_started_at = now
            return True
        return False

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_started_at = None

    def record_failure(self) -> None:
        self._trial_started_at = None
        if self._opened_at is not None:
            self._opened_at = self._clock.now()  # a failed trial re-opens for a full timeout
            return
        self._failures += 1
        if self._failures >= self._threshold:
            self._opened_at = self._clock.now()
