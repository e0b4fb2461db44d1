"""An email address (as the provider reported it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from kernel.value_object import ValueObject
from users.domain.exceptions.validation import InvalidEmailError

_SHAPE = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")


@dataclass(frozen=True, slots=True)
class Email(ValueObject):
    """``local@domain.tld``, at most ``MAX_LEN`` characters; the domain is lower-cased
    by :meth:`parse` (the local part is case-sensitive in principle, so it is kept)."""

    MAX_LEN: ClassVar[int] = 320

    value: str

    @classmethod
    def parse(cls, raw: str) -> Email:
        local, sep, domain = raw.strip().rpartition("@")
        return cls(f"{local}{sep}{domain.lower()}")

    @property
    def local_part(self) -> str:
        return self.value.rpartition("@")[0]

    def validate(self) -> None:
        if len(self.value) > self.MAX_LEN or not _SHAPE.fullmatch(self.value):
            raise InvalidEmailError()

    def __str__(self) -> str:
        return self.value
