"""CircuitBreaker transitions, driven by a manual clock."""

from __future__ import annotations

from datetime import timedelta

from auth.infrastructure.users_client.circuit_breaker import BreakerState, CircuitBreaker
from kernel.clock import ManualClock


def breaker(clock: ManualClock) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=3, reset_timeout=timedelta(seconds=30), clock=clock)


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
    clock.advance(29.9)
    assert b.allow() is False


def test_after_the_timeout_exactly_one_trial_call_goes_through() -> None:
    clock = ManualClock()
    b = tripped(clock)
    clock.advance(30)
    assert b.state is BreakerState.HALF_OPEN
    assert [b.allow(), b.allow(), b.allow()] == [True, False, False]


def test_a_successful_trial_closes_the_circuit() -> None:
    clock = ManualClock()
    b = tripped(clock)
    clock.advance(31)
    assert b.allow() is True
    b.record_success()
    assert b.state is BreakerState.CLOSED
    assert [b.allow(), b.allow()] == [True, True]


def test_a_failed_trial_reopens_for_a_full_timeout() -> None:
    clock = ManualClock()
    b = tripped(clock)
    clock.advance(31)
    assert b.allow() is True
    b.record_failure()
    assert b.state is BreakerState.OPEN
    clock.advance(29)
    assert b.allow() is False
    clock.advance(1)
    assert b.allow() is True


def test_a_trial_that_never_reports_stops_blocking_after_a_reset_timeout() -> None:
    clock = ManualClock()
    b = tripped(clock)
    clock.advance(30)
    assert b.allow() is True  # the trial's caller is cancelled and never reports
    clock.advance(29)
    assert b.allow() is False
    clock.advance(1)
    assert b.allow() is True
