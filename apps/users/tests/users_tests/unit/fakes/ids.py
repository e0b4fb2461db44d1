"""A predictable IdGenerator."""

from __future__ import annotations

import uuid

from kernel.ids import IdGenerator


class SequentialIds(IdGenerator):
    """UUIDs 1, 2, 3, ... so tests can name the ids a use case creates."""

    def __init__(self) -> None:
        self._next = 0

    def new_id(self) -> uuid.UUID:
        self._next += 1
        return uuid.UUID(int=self._next)
