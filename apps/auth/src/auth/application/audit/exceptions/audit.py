"""Errors of the login audit."""

from __future__ import annotations

from kernel.errors import DependencyUnavailableError


class LoginAuditUnavailableError(DependencyUnavailableError):
    """A login's audit row could not be stored (its database did not answer), so the
    login is not completed; the row went to the log instead."""

    code = "AUDIT_UNAVAILABLE"
    default_detail = "The login could not be recorded; try again later."
