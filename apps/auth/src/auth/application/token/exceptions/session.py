"""Errors about sessions."""

from __future__ import annotations

from auth.application.common.exceptions.base import ApplicationError
from kernel.errors import NotFoundError


class SessionNotFoundError(ApplicationError, NotFoundError):
    """No such session among the caller's own (another user's session is not visible)."""

    code = "SESSION_NOT_FOUND"
    default_detail = "The session was not found."
