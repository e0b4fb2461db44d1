"""The failures in a row of a loop that retries, logged, and its exponential back-off."""

from __future__ import annotations

import logging

from kernel.error_chain import describe_error
from servicekit.dependency_faults import is_dependency_fault


class FailureBackoff:
    """Each failure is logged with the delay before the retry, which starts at
    ``first_delay`` and doubles up to ``max_delay``: PostgreSQL or Redis down is
    expected while it lasts, so a dependency fault is one WARNING line each time;
    anything else is a bug and keeps its traceback (ERROR). The first success after
    failures is logged as a recovery. ``what`` names the loop in the messages
    ("<what> batch failed; retrying", "<what> recovered")."""

    def __init__(
        self, logger: logging.Logger, what: str, *, first_delay: float, max_delay: float
    ) -> None:
        self._logger = logger
        self._what = what
        self._first_delay = first_delay
        self._max_delay = max_delay
        self._failures = 0

    def failed(self, error: Exception) -> float:
        """Count and log ``error``; returns the seconds to wait before the retry."""
        self._failures += 1
        delay = min(self._max_delay, self._first_delay * 2.0 ** min(self._failures - 1, 16))
        fault = is_dependency_fault(error)
        self._logger.log(
            logging.WARNING if fault else logging.ERROR,
            "%s batch failed; retrying",
            self._what,
            extra={
                "failures": self._failures,
                "retry_in_s": delay,
                "error": describe_error(error),
            },
            exc_info=None if fault else error,
        )
        return delay

    def succeeded(self) -> None:
        if self._failures:
            self._logger.info("%s recovered", self._what, extra={"after_failures": self._failures})
        self._failures = 0
