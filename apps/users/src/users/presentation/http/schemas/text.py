"""The string type of request bodies: text PostgreSQL can store.

JSON can carry `\\u0000` and lone surrogates (`\\ud800`); PostgreSQL stores
neither, so such a string would fail only when written, as a 500. Refused while the
body is parsed instead: 422 `REQUEST_INVALID` naming the field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("the text contains a NUL character")
    if not value.isascii():
        try:
            value.encode()
        except UnicodeEncodeError:
            raise ValueError("the text contains a lone surrogate") from None
    return value


BodyText = Annotated[str, AfterValidator(_storable)]
