"""Column types that store a value object as its string and load it back."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from sqlalchemy import Dialect, String
from sqlalchemy.types import TypeDecorator

from kernel.value_object import ValueObject

VO = TypeVar("VO", bound=ValueObject)


class StringValue(TypeDecorator[VO], Generic[VO]):
    """``VARCHAR(length)`` holding ``str(value)``; loaded values are re-validated,
    so a row that breaks a rule fails loudly instead of spreading."""

    impl = String
    cache_ok = True

    def __init__(self, factory: type[VO], length: int) -> None:
        super().__init__(length)
        self.factory = factory
        self.length = length

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> VO | None:
        return None if value is None else self.factory(value)  # type: ignore[call-arg]
