"""Base class for domain entities: identity, not attributes, decides equality."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Generic, TypeVar

IdT = TypeVar("IdT", bound=Hashable)


class Entity(Generic[IdT]):
    """An object defined by its identity.

    Two entities are equal when they are of the same concrete type and have the
    same id, whatever their other attributes; the hash follows the same rule, so
    entities can live in sets and dict keys while their state changes.
    """

    __slots__ = ("id",)

    def __init__(self, id_: IdT) -> None:
        self.id = id_

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self.id == other.id)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.id))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r})"

    def __setattr__(self, name: str, value: Any) -> None:
        # An ORM-mapped class reads an unset id as None, so "set" means "not None".
        if name == "id" and getattr(self, "id", None) is not None:
            raise AttributeError(f"{type(self).__name__}.id cannot change")
        super().__setattr__(name, value)
