"""An in-memory `RateLimit` for use-case tests: `limit` requests per subject, no time.

Its contract (admit exactly `limit` of each subject, then refuse without counting,
with the limit and a positive `retry_after`) is checked against the Redis limit in
`servicekit_tests/integration/test_rate_limit_contract.py`.
"""

from __future__ import annotations

from collections import Counter

from kernel.errors import RateLimitedError
from kernel.rate_limit import RateLimit


class InMemoryRateLimit(RateLimit):
    """Admits `limit` requests of each subject (None is one subject), then refuses."""

    def __init__(self, limit: int = 1_000_000, *, retry_after: int = 60) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self.admitted: Counter[str | None] = Counter()

    async def acquire(self, subject: str | None) -> None:
        if self.admitted[subject] >= self.limit:
            raise RateLimitedError(limit=self.limit, retry_after=self.retry_after)
        self.admitted[subject] += 1
