"""Parse a flat JSON object: the one JSON shape a token's header or claims may have.

Untrusted JSON nests as deep as its sender likes and Python's parser recurses once
per level, so a few kilobytes of `[[[[…` raise `RecursionError`, which no JSON
caller expects. Here that becomes a `ValueError` like any other malformed input,
and anything but an object whose values are scalars or arrays of scalars is
refused. Callers bound the input's size first, which bounds the parsing work.
"""

from __future__ import annotations

import json
from typing import Any


def loads_flat_object(raw: bytes | str) -> dict[str, Any]:
    """The object `raw` holds; values are scalars or arrays of scalars.

    :raises ValueError: not UTF-8 JSON, not an object, or nested deeper than that.
    """
    try:
        value = json.loads(raw)
    except RecursionError as exc:
        raise ValueError("the JSON nests too deep") from exc
    if not isinstance(value, dict):
        raise ValueError("the JSON is not an object")
    for item in value.values():
        if isinstance(item, dict) or (
            isinstance(item, list) and any(isinstance(e, dict | list) for e in item)
        ):
            raise ValueError("the JSON object is not flat")
    return value
