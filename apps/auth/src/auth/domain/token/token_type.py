"""The two kinds of token auth issues; neither ever passes for the other."""

from __future__ import annotations

from enum import StrEnum


class TokenType(StrEnum):
    """Value of the `token_type` claim; the JOSE header `typ` mirrors it."""

    ACCESS = "access"
    REFRESH = "refresh"

    @property
    def jose_typ(self) -> str:
        """The JOSE header `typ` of this kind (`at+jwt`, `rt+jwt`)."""
        return "at+jwt" if self is TokenType.ACCESS else "rt+jwt"
