"""The name of an OAuth/OIDC provider (google, kakao, naver, or a configured issuer)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from kernel.value_object import ValueObject
from users.domain.exceptions.validation import InvalidProviderError

_NAME = re.compile(r"[a-z][a-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class Provider(ValueObject):
    """Lower-case letters, digits, ``_`` and ``-``, starting with a letter; at most
    ``MAX_LEN`` characters. Any configured provider is accepted, not a fixed list."""

    MAX_LEN: ClassVar[int] = 32

    value: str

    def validate(self) -> None:
        if len(self.value) > self.MAX_LEN or not _NAME.fullmatch(self.value):
            raise InvalidProviderError()

    def __str__(self) -> str:
        return self.value
