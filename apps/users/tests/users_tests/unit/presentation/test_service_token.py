"""The internal API's service credential check."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from users.presentation.http.credentials import (
    ServiceTokenInvalidError,
    ServiceTokenMissingError,
    check_service_token,
)

EXPECTED = SecretStr("x" * 40)


def test_matching_token_passes() -> None:
    check_service_token("x" * 40, EXPECTED)


@pytest.mark.parametrize("given", [None, ""])
def test_missing_token(given: str | None) -> None:
    with pytest.raises(ServiceTokenMissingError) as raised:
        check_service_token(given, EXPECTED)
    assert raised.value.code == "SERVICE_TOKEN_MISSING"


@pytest.mark.parametrize("given", ["x" * 39, "x" * 41, "y" * 40, "한" * 40])
def test_wrong_token(given: str) -> None:
    with pytest.raises(ServiceTokenInvalidError) as raised:
        check_service_token(given, EXPECTED)
    assert raised.value.code == "SERVICE_TOKEN_INVALID"


def test_nothing_configured_refuses_everyone() -> None:
    with pytest.raises(ServiceTokenInvalidError):
        check_service_token("x" * 40, None)
