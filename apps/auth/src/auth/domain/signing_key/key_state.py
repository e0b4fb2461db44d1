"""Where a signing key stands in its rotation."""

from __future__ import annotations

from enum import StrEnum


class KeyState(StrEnum):
    """A key is published in every state; only the current one signs.

    `next`: published ahead of use, so every verifier knows it before its first token.
    `current`: signs every new token; exactly one key is current.
    `retired`: no longer signs; published until the last token it signed has expired.
    """

    NEXT = "next"
    CURRENT = "current"
    RETIRED = "retired"
