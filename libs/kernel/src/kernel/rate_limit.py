"""Rate limits as a port, so a use case can limit what only it can identify (the
session of a verified token), and tests can count without a store."""

from __future__ import annotations

from typing import Protocol


class RateLimit(Protocol):
    """How often one subject may do one thing: a client address, a session, an account
    or a calling service, each with its own window."""

    async def acquire(self, subject: str | None) -> None:
        """Count one request of ``subject``; None is a subject that could not be told
        (an unknown client address): all such requests share one window.

        Concurrent calls never admit more than the limit. When the limit's store does not
        answer, the request is admitted (fail-open, logged and counted by the adapter).

        :raises RateLimitedError: the window is full; this request was not counted.
        """
        ...
