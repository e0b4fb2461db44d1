"""The error hierarchy both services share.

Every error carries a stable machine-readable ``code`` (what clients branch on)
and a human ``detail``. Each family maps to one HTTP status in the presentation
layers; subclasses refine the code, never the family.
"""

from __future__ import annotations

from typing import ClassVar


class AppError(Exception):
    """Base of every expected error. ``code`` is stable; ``detail`` is for people."""

    code: ClassVar[str] = "INTERNAL_ERROR"
    default_detail: ClassVar[str] = "An unexpected error occurred."

    def __init__(self, detail: str | None = None, *, code: str | None = None) -> None:
        self.detail = detail or self.default_detail
        if code is not None:
            self.code = code  # type: ignore[misc]
        super().__init__(self.detail)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, detail={self.detail!r})"


class DomainError(AppError):
    """A business rule was broken."""

    code = "DOMAIN_RULE_VIOLATED"
    default_detail = "The request breaks a business rule."


class ValidationError(DomainError):
    """Input does not satisfy a value's rules."""

    code = "VALIDATION_FAILED"
    default_detail = "The input is not valid."


class NotFoundError(AppError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    code = "NOT_FOUND"
    default_detail = "The resource was not found."


class ConflictError(AppError):
    """The request conflicts with the current state."""

    code = "CONFLICT"
    default_detail = "The request conflicts with the current state."


class AuthenticationError(AppError):
    """The caller could not be identified (missing, invalid or revoked credentials)."""

    code = "UNAUTHENTICATED"
    default_detail = "Authentication is required."


class DependencyUnavailableError(AppError):
    """A dependency (database, cache, another service, a provider) did not answer."""

    code = "DEPENDENCY_UNAVAILABLE"
    default_detail = "A dependency is unavailable; try again later."


class RateLimitedError(AppError):
    """The caller made too many requests of one kind; nothing was done.

    ``limit`` is the number of requests the window allows, ``retry_after`` the whole
    seconds until one more is admitted (at least 1).
    """

    code = "RATE_LIMITED"
    default_detail = "Too many requests; try again later."

    def __init__(self, *, limit: int, retry_after: int, detail: str | None = None) -> None:
        super().__init__(detail)
        self.limit = limit
        self.retry_after = max(1, retry_after)
