"""A Korean mobile phone number, stored as 010-XXXX-XXXX."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from kernel.value_object import ValueObject
from users.domain.exceptions.validation import InvalidPhoneNumberError

_CANONICAL = re.compile(r"010-\d{4}-\d{4}")
_SEPARATORS = re.compile(r"[\s\-.()]")


@dataclass(frozen=True, slots=True)
class PhoneNumber(ValueObject):
    """Always canonical (``010-1234-5678``); :meth:`parse` accepts common spellings:
    ``01012345678``, ``010 1234 5678``, ``010.1234.5678``, ``+82 10-1234-5678``,
    ``+821012345678``."""

    MAX_LEN: ClassVar[int] = 13

    value: str

    @classmethod
    def parse(cls, raw: str) -> PhoneNumber:
        digits = _SEPARATORS.sub("", raw.strip())
        if digits.startswith("+82"):
            digits = "0" + digits[3:]
        elif digits.startswith("82") and len(digits) == 12:
            digits = "0" + digits[2:]
        if not (len(digits) == 11 and digits.isascii() and digits.isdigit()):
            raise InvalidPhoneNumberError()
        return cls(f"{digits[:3]}-{digits[3:7]}-{digits[7:]}")

    def validate(self) -> None:
        if not _CANONICAL.fullmatch(self.value):
            raise InvalidPhoneNumberError()

    def __str__(self) -> str:
        return self.value
