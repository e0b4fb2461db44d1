"""Alembic migrations of the `users` schema (version table `users.alembic_version`)."""

from __future__ import annotations

from pathlib import Path

SCRIPT_LOCATION = Path(__file__).parent
