from __future__ import annotations

import pytest

from kernel.errors import (
    AppError,
    AuthenticationError,
    ConflictError,
    DependencyUnavailableError,
    DomainError,
    NotFoundError,
    RateLimitedError,
    ValidationError,
)


class UserNotFoundError(NotFoundError):
    code = "USER_NOT_FOUND"
    default_detail = "No such user."


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (AppError, "INTERNAL_ERROR"),
        (DomainError, "DOMAIN_RULE_VIOLATED"),
        (ValidationError, "VALIDATION_FAILED"),
        (NotFoundError, "NOT_FOUND"),
        (ConflictError, "CONFLICT"),
        (AuthenticationError, "UNAUTHENTICATED"),
        (DependencyUnavailableError, "DEPENDENCY_UNAVAILABLE"),
    ],
)
def test_every_family_has_a_stable_code_and_a_default_detail(
    error: type[AppError], code: str
) -> None:
    raised = error()
    assert raised.code == code
    assert raised.detail == error.default_detail
    assert str(raised) == raised.detail


def test_subclasses_refine_the_code_within_their_family() -> None:
    error = UserNotFoundError()
    assert isinstance(error, NotFoundError)
    assert error.code == "USER_NOT_FOUND"
    assert error.detail == "No such user."


def test_detail_and_code_can_be_given_per_instance() -> None:
    error = AuthenticationError("token expired", code="TOKEN_EXPIRED")
    assert (error.code, error.detail) == ("TOKEN_EXPIRED", "token expired")
    assert AuthenticationError().code == "UNAUTHENTICATED"


def test_validation_is_a_domain_error() -> None:
    assert issubclass(ValidationError, DomainError)


def test_repr_shows_code_and_detail() -> None:
    assert repr(ConflictError("taken")) == "ConflictError(code='CONFLICT', detail='taken')"


def test_a_rate_limited_error_names_its_limit_and_a_retry_of_at_least_a_second() -> None:
    refused = RateLimitedError(limit=3, retry_after=0)
    assert (refused.code, refused.detail) == ("RATE_LIMITED", RateLimitedError.default_detail)
    assert (refused.limit, refused.retry_after) == (3, 1)
    assert RateLimitedError(limit=3, retry_after=41).retry_after == 41
