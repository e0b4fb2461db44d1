"""Base of the auth service's application errors."""

from __future__ import annotations

from kernel.errors import AppError


class ApplicationError(AppError):
    """An error raised by an auth use case (features subclass a kernel family too)."""
