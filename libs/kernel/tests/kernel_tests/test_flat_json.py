from __future__ import annotations

import pytest

from kernel.flat_json import loads_flat_object


def test_scalars_and_arrays_of_scalars_parse() -> None:
    raw = b'{"sub": "u", "aud": ["a", "b"], "exp": 1, "ok": true, "none": null}'
    assert loads_flat_object(raw) == {
        "sub": "u",
        "aud": ["a", "b"],
        "exp": 1,
        "ok": True,
        "none": None,
    }


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
        b'{"a": {"b": 1}}',
        b'{"a": [[1]]}',
        b'{"a": [{"b": 1}]}',
        b"[1]",
        b'"text"',
        b"\xff\xfe{}",
        b"{",
    ],
    ids=[
        "deep-array",
        "deep-value",
        "object-value",
        "nested-array",
        "object-in-array",
        "array",
        "string",
        "not-utf8",
        "truncated",
    ],
)
def test_anything_else_is_a_value_error(raw: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - ValueError, whatever the message, is the contract
        loads_flat_object(raw)
