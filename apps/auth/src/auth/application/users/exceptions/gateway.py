"""Errors of calls to the users service."""

from __future__ import annotations

from kernel.errors import DependencyUnavailableError


class UserServiceUnavailableError(DependencyUnavailableError):
    """The users service did not answer (transport failure, timeout, 503), or its
    circuit is open: a later try may work."""

    code = "USERS_UNAVAILABLE"
    default_detail = "The users service is unavailable; try again later."


class UserServiceRejectedError(DependencyUnavailableError):
    """The users service answered this request with a definite error (a 4xx such as
    422 for a profile it cannot take, or a 500): the same request will fail again,
    so it is neither retried nor taken as an outage."""

    code = "USERS_REJECTED"
    default_detail = "The users service refused this login."
