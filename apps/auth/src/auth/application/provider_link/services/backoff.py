"""Delays between the attempts of a retried provider call.

Written here, not taken from a library: no retry library is in the lock (tenacity,
backoff and stamina are not), and the policy is short: a bounded number of
attempts, exponential delays with full jitter, each delay capped.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """``max_attempts`` calls at most; after failed attempt ``n`` (1-based) wait a random
    time in ``[0, min(max_seconds, base_seconds * 2**(n-1))]`` ("full jitter", so that
    workers retrying after one outage do not call again in step)."""

    max_attempts: int
    base_seconds: float
    max_seconds: float
    uniform: Callable[[], float] = random.random  # in [0, 1); tests pass a fixed one

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base_seconds < 0 or self.max_seconds < 0:
            raise ValueError("backoff needs at least one attempt and non-negative delays")

    def delay_after(self, attempt: int) -> float:
        """The wait after failed attempt ``attempt`` before the next one."""
        ceiling = min(self.max_seconds, self.base_seconds * 2.0 ** (attempt - 1))
        return ceiling * self.uniform()
