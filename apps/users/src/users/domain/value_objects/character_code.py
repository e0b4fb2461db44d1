"""The stable code of a character in the catalogue (e.g. ``char-eco``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from kernel.value_object import ValueObject
from users.domain.exceptions.validation import InvalidCharacterCodeError

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True, slots=True)
class CharacterCode(ValueObject):
    """Letters, digits, ``_``, ``.``, ``-``; starts with a letter or digit; at most
    ``MAX_LEN`` characters."""

    MAX_LEN: ClassVar[int] = 64

    value: str

    def validate(self) -> None:
        if len(self.value) > self.MAX_LEN or not _CODE.fullmatch(self.value):
            raise InvalidCharacterCodeError()

    def __str__(self) -> str:
        return self.value
