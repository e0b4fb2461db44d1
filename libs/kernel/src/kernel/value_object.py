"""Base for value objects: immutable, compared by value, validated on creation."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class ValueObject:
    """Frozen, slotted dataclass base.

    Subclasses are declared with ``@dataclass(frozen=True, slots=True)`` and put
    their rules in :meth:`validate`, which runs after ``__init__``; it raises a
    :class:`kernel.errors.ValidationError` (or a subclass) when a rule is broken.
    Fields declared with :func:`secret` are left out of ``repr``.
    """

    def __post_init__(self) -> None:
        if not _declares_fields(type(self)):
            raise TypeError(f"{type(self).__name__} must declare at least one field")
        self.validate()

    def validate(self) -> None:
        """Check the invariants; raise a ValidationError when one is broken."""


@functools.cache
def _declares_fields(cls: type) -> bool:
    """Asked once per class: `fields()` on every construction cost as much as the rest of it."""
    return bool(fields(cls))


def secret(**kwargs: Any) -> Any:
    """A dataclass field kept out of ``repr`` (tokens, passwords, verifiers)."""
    return field(repr=False, **kwargs)
