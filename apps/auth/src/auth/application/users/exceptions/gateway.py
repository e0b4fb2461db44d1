"""Errors of calls to the users service."""

from __future__ import annotations

from kernel.errors import DependencyUnavailableError


class UserServiceUnavailableError(DependencyUnavailableError):
    """The users service failed, timed out, refused us, or its circuit is open."""

    code = "USERS_UNAVAILABLE"
    default_detail = "The users service is unavailable; try again later."
