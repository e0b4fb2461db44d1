"""The retry delays: exponential, capped, jittered below the cap, bounded attempts."""

from __future__ import annotations

import pytest

from auth.application.provider_link.services.backoff import Backoff


def test_delays_double_up_to_the_cap() -> None:
    backoff = Backoff(max_attempts=6, base_seconds=0.5, max_seconds=3, uniform=lambda: 1.0)
    assert [backoff.delay_after(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_full_jitter_scales_the_ceiling() -> None:
    backoff = Backoff(max_attempts=3, base_seconds=2, max_seconds=10, uniform=lambda: 0.25)
    assert backoff.delay_after(2) == 1.0


def test_real_jitter_stays_within_the_ceiling() -> None:
    backoff = Backoff(max_attempts=3, base_seconds=1, max_seconds=10)
    assert all(0 <= backoff.delay_after(3) <= 4 for _ in range(200))


@pytest.mark.parametrize(("attempts", "base", "cap"), [(0, 1, 1), (1, -1, 1), (1, 1, -1)])
def test_nonsense_is_refused(attempts: int, base: float, cap: float) -> None:
    with pytest.raises(ValueError, match="backoff"):
        Backoff(max_attempts=attempts, base_seconds=base, max_seconds=cap)
