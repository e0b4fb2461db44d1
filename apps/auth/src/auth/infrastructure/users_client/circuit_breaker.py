"""A circuit breaker: pure logic over a clock, no I/O.

closed --(N consecutive failures)--> open --(probe interval)--> half-open
half-open lets one probe call through: success closes, failure re-opens for
another probe interval. A probe that never reports (its caller was cancelled, or
it hangs on a dead connection) stops blocking after one probe interval, when a
new probe may go. With a short interval (the default is half a second) calls
flow again within that interval of the dependency answering.

Hand-written rather than a library: no breaker library (pybreaker, purgatory) is
in the lockfile, and this is a few lines of logic whose probe timing the unit
tests drive with a manual clock.
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
    """Stops calling a failing dependency, and probes it with one call every
    ``probe_interval`` until it answers.

    Callers report only what says the dependency is down (``record_failure``) or
    up (``record_success``); a call that failed for its own reasons reports nothing.
    Single event loop only (no locks needed: no awaits inside).
    """

    def __init__(self, *, failure_threshold: int, probe_interval: timedelta, clock: Clock) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if probe_interval <= timedelta(0):
            raise ValueError("probe_interval must be positive")
        self._threshold = failure_threshold
        self._probe_interval = probe_interval
        self._clock = clock
        self._failures = 0
        self._opened_at: datetime | None = None
        self._probe_started_at: datetime | None = None

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock.now() - self._opened_at >= self._probe_interval:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """May a call go out now? In half-open, one caller gets True until that
        probe reports its outcome (or a probe interval passes without one)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.OPEN:
            return False
        now = self._clock.now()
        if self._probe_started_at is None or now - self._probe_started_at >= self._probe_interval:
            self._probe_started_at = now
            return True
        return False

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._probe_started_at = None

    def record_failure(self) -> None:
        self._probe_started_at = None
        if self._opened_at is not None:
            self._opened_at = self._clock.now()  # a failed probe re-opens for an interval
            return
        self._failures += 1
        if self._failures >= self._threshold:
            self._opened_at = self._clock.now()
