"""How long a deleted account can still be restored (from settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class DeletionPolicy:
    """``grace``: time between the deletion request and the purge; zero purges at once."""

    grace: timedelta
