"""CircuitBreaker transitions and probe timing, driven by a manual clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from auth.infrastructure.users_client.circuit_breaker import BreakerState, CircuitBreaker
from auth.setup.oauth_settings import UsersApiSettings
from testkit.clock import ManualClock

PROBE = timedelta(seconds=0.5)


def breaker(clock: ManualClock, probe_interval: timedelta = PROBE) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=3, probe_interval=probe_interval, clock=clock)


def tripped(clock: ManualClock) -> CircuitBreaker:
    """A breaker that has just opened after three consecutive failures."""
    b = breaker(clock)
    for _ in range(3):
        b.record_failure()
    return b


def test_stays_closed_below_the_threshold_and_a_success_resets_the_count() -> None:
    b = breaker(ManualClock())
    b.record_failure()
    b.record_failure()
    b.record_success()
    b.record_failure()
    b.record_failure()
    assert b.state is BreakerState.CLOSED
    assert b.allow() is True


def test_opens_after_consecutive_failures_and_refuses_calls() -> None:
    clock = ManualClock()
    b = tripped(clock)
    assert b.state is BreakerState.OPEN
    assert b.allow() is False
    clock.advance(0.49)
    assert b.allow() is False


def test_after_the_probe_interval_exactly_one_probe_goes_through() -> None:
    clock = ManualClock()
    b = tripped(clock)
    clock.advance(0.5)
    assert b.state is BreakerState.HALF_OPEN
    assert [b.allow(), b.allow(), b.allow()] == [True, False, False]


def test_a_successful_probe_closes_the_circuit() -> None:
    clock = ManualClock()
    b = tripped(clock)
    clock.advance(0.6)
    assert b.allow() is True
    b.record_success()
    assert b.state is BreakerState.CLOSED
    assert [b.allow(), b.allow()] == [True, True]


def test_a_failed_probe_reopens_for_one_probe_interval() -> None:
    clock = ManualClock()
    b = tripped(clock)
    clock.advance(0.6)
    assert b.allow() is True
    b.record_failure()
    assert b.state is BreakerState.OPEN
    clock.advance(0.49)
    assert b.allow() is False
    clock.advance(0.01)
    assert b.allow() is True


def test_a_probe_that_never_reports_stops_blocking_after_a_probe_interval() -> None:
    clock = ManualClock()
    b = tripped(clock)
    clock.advance(0.5)
    assert b.allow() is True  # the probe's caller is cancelled, or hangs, and never reports
    clock.advance(0.49)
    assert b.allow() is False
    clock.advance(0.01)
    assert b.allow() is True


@pytest.mark.parametrize("comes_back_after", [0.0, 0.001, 0.25, 0.499, 0.5, 3.2, 30.0])
def test_calls_flow_again_within_a_probe_interval_of_the_dependency_answering(
    comes_back_after: float,
) -> None:
    """Callers try every 10 ms; the dependency is down until `comes_back_after` seconds
    after the breaker opened. The first call let through after that succeeds."""
    clock = ManualClock()
    b = tripped(clock)
    step, elapsed = 0.01, 0.0
    while True:
        if b.allow():
            if elapsed >= comes_back_after:
                b.record_success()
                break
            b.record_failure()
        clock.advance(step)
        elapsed += step
    delay = elapsed - comes_back_after
    assert b.state is BreakerState.CLOSED
    assert delay <= PROBE.total_seconds() + step


def test_the_default_probe_interval_is_within_a_second_and_cannot_be_set_above() -> None:
    assert UsersApiSettings().breaker_probe_seconds <= 1.0
    with pytest.raises(ValueError, match="breaker_probe_seconds"):
        UsersApiSettings(breaker_probe_seconds=30)


def test_a_probe_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        breaker(ManualClock(), timedelta(0))
