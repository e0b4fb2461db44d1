"""The id a provider gives a user (`sub` of OIDC, Kakao's numeric id, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from kernel.value_object import ValueObject
from users.domain.exceptions.validation import InvalidProviderUserIdError


@dataclass(frozen=True, slots=True)
class ProviderUserId(ValueObject):
    """1 to ``MAX_LEN`` printable characters, no surrounding whitespace; opaque otherwise
    (compared exactly, never case-folded)."""

    MAX_LEN: ClassVar[int] = 255

    value: str

    def validate(self) -> None:
        if not 1 <= len(self.value) <= self.MAX_LEN:
            raise InvalidProviderUserIdError()
        if not self.value.isprintable() or self.value != self.value.strip():
            raise InvalidProviderUserIdError()

    def __str__(self) -> str:
        return self.value
