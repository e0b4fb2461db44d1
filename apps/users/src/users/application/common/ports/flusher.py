"""Port: push pending changes to the database without committing."""

from __future__ import annotations

from typing import Protocol


class Flusher(Protocol):
    """Sends pending writes so constraint violations surface inside the use case."""

    async def flush(self) -> None:
        """Flush pending changes; raises the domain error a violated constraint means."""
        ...
