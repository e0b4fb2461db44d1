"""Base for value objects: immutable, compared by value, validated on creation."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

_WITH_FIELDS: set[type] = set()
"""Classes already seen to declare fields: `fields()` on every construction cost as much
as the rest of it."""


@dataclass(frozen=True, slots=True)
class ValueObject:
    """Frozen, slotted dataclass base.

    Subclasses are declared with ``@dataclass(frozen=True, slots=True)`` and put
    their rules in :meth:`validate`, which runs after ``__init__``; it raises a
    :class:`kernel.errors.ValidationError` (or a subclass) when a rule is broken.
    Fields declared with :func:`secret` are left out of ``repr``.
    """

    def __post_init__(self) -> None:
        if type(self) not in _WITH_FIELDS:
            if not fields(self):
                raise TypeError(f"{type(self).__name__} must declare at least one field")
            _WITH_FIELDS.add(type(self))
        self.validate()

    def validate(self) -> None:
        """Check the invariants; raise a ValidationError when one is broken."""


def secret(**kwargs: Any) -> Any:
    """A dataclass field kept out of ``repr`` (tokens, passwords, verifiers)."""
    return field(repr=False, **kwargs)
