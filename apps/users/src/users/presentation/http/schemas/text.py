"""The string type of request bodies: text PostgreSQL can store and a profile needs.

JSON can carry `\\u0000` and lone surrogates (`\\ud800`); PostgreSQL stores
neither, so such a string would fail only when written, as a 500. Other control
characters and bidirectional controls have no place in a profile either (auth
removes them from provider text before sending). Refused while the body is parsed
instead: 422 `REQUEST_INVALID` naming the field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from kernel.text import has_unsafe_characters


def _storable(value: str) -> str:
    if has_unsafe_characters(value):
        raise ValueError("holds a control character, a lone surrogate or a bidirectional control")
    return value


BodyText = Annotated[str, AfterValidator(_storable)]
