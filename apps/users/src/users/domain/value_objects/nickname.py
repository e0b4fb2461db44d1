"""A user's chosen nickname."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from kernel.value_object import ValueObject
from users.domain.exceptions.validation import InvalidNicknameError


@dataclass(frozen=True, slots=True)
class Nickname(ValueObject):
    """1 to ``MAX_LEN`` characters after trimming, no control characters.

    Build it with :meth:`parse` to trim and NFC-normalise user input.
    """

    MIN_LEN: ClassVar[int] = 1
    MAX_LEN: ClassVar[int] = 20

    value: str

    @classmethod
    def parse(cls, raw: str) -> Nickname:
        return cls(unicodedata.normalize("NFC", raw).strip())

    def validate(self) -> None:
        if not self.MIN_LEN <= len(self.value) <= self.MAX_LEN:
            raise InvalidNicknameError(
                f"A nickname has {self.MIN_LEN} to {self.MAX_LEN} characters."
            )
        if self.value != self.value.strip():
            raise InvalidNicknameError("A nickname has no leading or trailing spaces.")
        if any(unicodedata.category(ch).startswith("C") for ch in self.value):
            raise InvalidNicknameError("A nickname has no control or invisible characters.")

    def __str__(self) -> str:
        return self.value
