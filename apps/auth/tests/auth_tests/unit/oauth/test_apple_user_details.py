"""What Sign in with Apple's unsigned form and string claims may hold, read safely."""

from __future__ import annotations

import json

import pytest

from auth.infrastructure.oauth.apple_provider_gateway import (
    apple_boolean,
    first_authorization_name,
)


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ({"name": {"firstName": "Eco", "lastName": "Kim"}, "email": "x@y.z"}, "Eco Kim"),
        ({"name": {"firstName": "에코"}}, "에코"),
        ({"name": {"lastName": "Kim", "firstName": ""}}, "Kim"),
        ({"name": {}}, None),
        ({"name": "Eco Kim"}, None),
        ({"email": "x@y.z"}, None),
        (["Eco"], None),
    ],
)
def test_the_name_is_taken_from_the_documented_shape_only(user: object, name: str | None) -> None:
    assert first_authorization_name(json.dumps(user)) == name


@pytest.mark.parametrize("raw", [None, "", "{not json", "[" * 20_000, '"\\ud800"'])
def test_a_missing_or_malformed_user_field_is_no_name(raw: str | None) -> None:
    assert first_authorization_name(raw) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), (False, False), ("false", False), (None, False), (1, False)],
)
def test_apple_booleans_come_as_json_or_as_strings(value: object, expected: bool) -> None:
    assert apple_boolean(value) is expected
